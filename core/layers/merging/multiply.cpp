#include "layers/merging/multiply.h"

#include "layers/layer_registration.h"

namespace tanuki {

LayerCall Multiply::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  Tensor y = inputs[0].clone();
  for (size_t k = 1; k < inputs.size(); ++k) {
    const float* x = inputs[k].data();
    for (int64_t i = 0; i < y.size(); ++i) y[i] *= x[i];
  }
  LayerCall result{y, {}};
  if (!ctx.record || !ctx.anyInputNeedsGrad()) return result;
  result.backward = [inputs, needs = ctx.inputsNeedGrad](const Tensor& dy, Gradients&) {
    // dx_k = dy * Π_{j≠k} x_j, multiplied out rather than y / x_k, which fails at zeros.
    std::vector<Tensor> dx(inputs.size());
    for (size_t k = 0; k < inputs.size(); ++k) {
      if (k >= needs.size() || !needs[k]) continue;
      dx[k] = dy.clone();
      for (size_t j = 0; j < inputs.size(); ++j) {
        if (j == k) continue;
        const float* x = inputs[j].data();
        for (int64_t i = 0; i < dy.size(); ++i) dx[k][i] *= x[i];
      }
    }
    return dx;
  };
  return result;
}

template <>
LayerRegistration registration<Multiply>() {
  return {"Multiply", createAs<Multiply>, {LayerExample{Json::object(), {{2, 3, 4}, {2, 3, 4}}}}};
}

}  // namespace tanuki
