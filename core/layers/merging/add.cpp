#include "layers/merging/add.h"

#include "kernels/common/vector_loops.h"
#include "layers/layer_registration.h"
#include "layers/merging/broadcast.h"

namespace tanuki {

LayerCall Add::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const bool same = sameShapes(inputs);
  std::vector<Shape> shapes;
  for (const Tensor& x : inputs) shapes.push_back(x.shape());
  const Shape outShape = same ? inputs[0].shape() : computeOutputShape(shapes);
  Tensor y = same ? inputs[0].clone() : broadcastTo(inputs[0], outShape).clone();
  for (size_t k = 1; k < inputs.size(); ++k) {
    if (same)
      kernels::addInto(y.data(), inputs[k].data(), y.size());
    else
      addBroadcast(y, inputs[k]);
  }
  LayerCall result{y, {}};
  if (!ctx.record || !ctx.anyInputNeedsGrad()) return result;
  result.backward = [needs = ctx.inputsNeedGrad, shapes](const Tensor& dy, Gradients&) {
    // d(Σ x)/dx_k = 1: every input gets dy, summed over the axes it was repeated along.
    std::vector<Tensor> dx(shapes.size());
    for (size_t k = 0; k < shapes.size(); ++k)
      if (k < needs.size() && needs[k]) dx[k] = sumTo(dy, shapes[k]);
    return dx;
  };
  return result;
}

template <>
LayerRegistration registration<Add>() {
  return {"Add",
          createAs<Add>,
          {LayerExample{Json::object(), {{2, 3, 4}, {2, 3, 4}}},
           LayerExample{Json::object(), {{2, 3, 4}, {2, 1, 4}, {2, 3, 1}}},
           LayerExample{Json::object(), {{2, 1, 1, 4}, {2, 3, 3, 4}}}}};
}

}  // namespace tanuki
