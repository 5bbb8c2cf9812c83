#include "layers/pooling/global_max_pooling2d.h"

#include <memory>

#include "layers/layer_registration.h"

namespace tanuki {

LayerCall GlobalMaxPooling2D::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const Shape inShape = x.shape();
  const int64_t N = inShape[0], pixels = inShape[1] * inShape[2], C = inShape[3];
  Tensor y(outputShape(N, C));
  // Where each maximum is, as a flat index into x, for the backward pass.
  auto argmax = std::make_shared<std::vector<int64_t>>(static_cast<size_t>(N * C));
  for (int64_t n = 0; n < N; ++n) {
    float* yn = y.data() + n * C;
    int64_t* an = argmax->data() + n * C;
    for (int64_t c = 0; c < C; ++c) {  // start from the first pixel: every output gets a valid argmax
      yn[c] = x[n * pixels * C + c];
      an[c] = n * pixels * C + c;
    }
    for (int64_t p = 1; p < pixels; ++p) {
      const int64_t at = (n * pixels + p) * C;
      for (int64_t c = 0; c < C; ++c)
        if (x[at + c] > yn[c]) {
          yn[c] = x[at + c];
          an[c] = at + c;
        }
    }
  }

  LayerCall result{y, {}};
  if (!ctx.record || !ctx.inputNeedsGrad(0)) return result;
  result.backward = [inShape, argmax](const Tensor& dy, Gradients&) {
    Tensor dx(inShape);
    for (size_t i = 0; i < argmax->size(); ++i) dx[(*argmax)[i]] = dy[static_cast<int64_t>(i)];
    return std::vector<Tensor>{dx};
  };
  return result;
}

template <>
LayerRegistration registration<GlobalMaxPooling2D>() {
  return {"GlobalMaxPooling2D", createAs<GlobalMaxPooling2D>, {LayerExample{Json::object(), {{2, 3, 3, 2}}}}};
}

}  // namespace tanuki
