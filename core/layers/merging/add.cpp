#include "layers/merging/add.h"

#include "kernels/common/vector_loops.h"
#include "layers/layer_registration.h"

namespace tanuki {

LayerCall Add::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  Tensor y = inputs[0].clone();
  for (size_t k = 1; k < inputs.size(); ++k) {
    kernels::addInto(y.data(), inputs[k].data(), y.size());
  }
  LayerCall result{y, {}};
  if (!ctx.record || !ctx.anyInputNeedsGrad()) return result;
  result.backward = [needs = ctx.inputsNeedGrad, count = inputs.size()](const Tensor& dy, Gradients&) {
    std::vector<Tensor> dx(count);  // d(Σ x)/dx_k = 1: every input gets dy as it is
    for (size_t k = 0; k < count; ++k)
      if (k < needs.size() && needs[k]) dx[k] = dy;
    return dx;
  };
  return result;
}

template <>
LayerRegistration registration<Add>() {
  return {"Add", createAs<Add>, {LayerExample{Json::object(), {{2, 3, 4}, {2, 3, 4}}}}};
}

}  // namespace tanuki
