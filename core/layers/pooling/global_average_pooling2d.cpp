#include "layers/pooling/global_average_pooling2d.h"

#include "kernels/common/vector_loops.h"
#include "layers/layer_registration.h"

namespace tanuki {

LayerCall GlobalAveragePooling2D::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const Shape inShape = x.shape();
  const int64_t N = inShape[0], pixels = inShape[1] * inShape[2], C = inShape[3];
  const float scale = 1.0f / static_cast<float>(pixels);
  Tensor y(outputShape(N, C));
  for (int64_t n = 0; n < N; ++n) {
    float* yn = y.data() + n * C;
    for (int64_t p = 0; p < pixels; ++p) kernels::scaleAdd(yn, x.data() + (n * pixels + p) * C, 1.0f, C);
    for (int64_t c = 0; c < C; ++c) yn[c] *= scale;
  }

  LayerCall result{y, {}};
  if (!ctx.record || !ctx.inputNeedsGrad(0)) return result;
  result.backward = [inShape, N, pixels, C, scale](const Tensor& dy, Gradients&) {
    Tensor dx(inShape);  // zeros
    for (int64_t n = 0; n < N; ++n)
      for (int64_t p = 0; p < pixels; ++p)
        kernels::scaleAdd(dx.data() + (n * pixels + p) * C, dy.data() + n * C, scale, C);
    return std::vector<Tensor>{dx};
  };
  return result;
}

template <>
LayerRegistration registration<GlobalAveragePooling2D>() {
  return {"GlobalAveragePooling2D",
          createAs<GlobalAveragePooling2D>,
          {LayerExample{Json::object(), {{2, 3, 3, 2}}}, LayerExample{{{"keepdims", true}}, {{1, 2, 3, 2}}}}};
}

}  // namespace tanuki
