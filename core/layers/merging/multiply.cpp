#include "layers/merging/multiply.h"

#include "layers/layer_registration.h"
#include "layers/merging/broadcast.h"

namespace tanuki {
namespace {

// y *= x, x of y's shape or broadcast to it.
void multiplyInto(Tensor& y, const Tensor& x) {
  if (x.shape() != y.shape()) return multiplyBroadcast(y, x);
  float* out = y.data();
  const float* in = x.data();
  for (int64_t i = 0; i < y.size(); ++i) out[i] *= in[i];
}

}  // namespace

LayerCall Multiply::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const bool same = sameShapes(inputs);
  std::vector<Shape> shapes;
  for (const Tensor& x : inputs) shapes.push_back(x.shape());
  const Shape outShape = same ? inputs[0].shape() : computeOutputShape(shapes);
  Tensor y = broadcastTo(inputs[0], outShape).clone();
  for (size_t k = 1; k < inputs.size(); ++k) multiplyInto(y, inputs[k]);
  LayerCall result{y, {}};
  if (!ctx.record || !ctx.anyInputNeedsGrad()) return result;
  result.backward = [inputs, needs = ctx.inputsNeedGrad](const Tensor& dy, Gradients&) {
    // dx_k = dy * Π_{j≠k} x_j, multiplied out rather than y / x_k, which fails
    // at zeros; then summed over the axes x_k was repeated along.
    std::vector<Tensor> dx(inputs.size());
    for (size_t k = 0; k < inputs.size(); ++k) {
      if (k >= needs.size() || !needs[k]) continue;
      Tensor g = dy.clone();
      for (size_t j = 0; j < inputs.size(); ++j)
        if (j != k) multiplyInto(g, inputs[j]);
      dx[k] = sumTo(g, inputs[k].shape());
    }
    return dx;
  };
  return result;
}

template <>
LayerRegistration registration<Multiply>() {
  return {"Multiply",
          createAs<Multiply>,
          {LayerExample{Json::object(), {{2, 3, 4}, {2, 3, 4}}}, LayerExample{Json::object(), {{2, 1, 4}, {2, 3, 1}}},
           LayerExample{Json::object(), {{2, 3, 3, 4}, {2, 1, 1, 4}, {2, 3, 3, 1}}}}};
}

}  // namespace tanuki
