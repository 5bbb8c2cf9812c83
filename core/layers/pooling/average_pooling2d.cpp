#include "layers/pooling/average_pooling2d.h"

#include "kernels/pooling/pooling.h"
#include "layers/layer_registration.h"

namespace tanuki {

LayerCall AveragePooling2D::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const kernels::Conv2DGeometry g = geometry(x.shape());
  Tensor y(Shape{g.batch, g.outH, g.outW, g.channels});
  kernels::avgPool2d(x.data(), g, y.data());

  LayerCall result{y, {}};
  if (!ctx.record || !ctx.inputNeedsGrad(0)) return result;
  result.backward = [g](const Tensor& dy, Gradients&) {
    Tensor dx(Shape{g.batch, g.inH, g.inW, g.channels});
    kernels::avgPool2dBackward(dy.data(), g, dx.data());
    return std::vector<Tensor>{dx};
  };
  return result;
}

template <>
LayerRegistration registration<AveragePooling2D>() {
  return {"AveragePooling2D",
          createAs<AveragePooling2D>,
          {LayerExample{{{"pool_size", 2}}, {{2, 4, 4, 3}}},
           LayerExample{{{"pool_size", 3}, {"strides", 2}, {"padding", "same"}}, {{1, 5, 5, 2}}}}};
}

}  // namespace tanuki
