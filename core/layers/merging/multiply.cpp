#include "layers/merging/multiply.h"

#include "layers/layer_registration.h"
#include "layers/merging/broadcast.h"

namespace tanuki {
namespace {

void multiplyInto(Tensor& y, const Tensor& x) {
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
  // The inputs at the output's shape (themselves when no broadcasting is needed).
  std::vector<Tensor> full;
  for (const Tensor& x : inputs) full.push_back(broadcastTo(x, outShape));
  Tensor y = full[0].clone();
  for (size_t k = 1; k < full.size(); ++k) multiplyInto(y, full[k]);
  LayerCall result{y, {}};
  if (!ctx.record || !ctx.anyInputNeedsGrad()) return result;
  result.backward = [full, shapes, needs = ctx.inputsNeedGrad](const Tensor& dy, Gradients&) {
    // dx_k = dy * Π_{j≠k} x_j, multiplied out rather than y / x_k, which fails
    // at zeros; then summed over the axes x_k was repeated along.
    std::vector<Tensor> dx(full.size());
    for (size_t k = 0; k < full.size(); ++k) {
      if (k >= needs.size() || !needs[k]) continue;
      Tensor g = dy.clone();
      for (size_t j = 0; j < full.size(); ++j)
        if (j != k) multiplyInto(g, full[j]);
      dx[k] = sumTo(g, shapes[k]);
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
