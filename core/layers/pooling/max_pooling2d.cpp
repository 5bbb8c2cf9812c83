#include "layers/pooling/max_pooling2d.h"

#include <memory>

#include "kernels/pooling/pooling.h"
#include "layers/layer_registration.h"

namespace tanuki {

LayerCall MaxPooling2D::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const kernels::Conv2DGeometry g = geometry(x.shape());
  Tensor y(Shape{g.batch, g.outH, g.outW, g.channels});
  LayerCall result{y, {}};
  if (!ctx.record || !ctx.inputNeedsGrad(0)) {
    kernels::maxPool2d(x.data(), g, y.data(), nullptr);  // no backward pass: no argmax
    return result;
  }
  auto argmax = std::make_shared<std::vector<int32_t>>(static_cast<size_t>(y.size()));
  kernels::maxPool2d(x.data(), g, y.data(), argmax->data());
  result.backward = [argmax, g](const Tensor& dy, Gradients&) {
    Tensor dx(Shape{g.batch, g.inH, g.inW, g.channels});
    kernels::maxPool2dBackward(dy.data(), argmax->data(), g, dx.data());
    return std::vector<Tensor>{dx};
  };
  return result;
}

template <>
LayerRegistration registration<MaxPooling2D>() {
  return {"MaxPooling2D",
          createAs<MaxPooling2D>,
          {LayerExample{{{"pool_size", 2}}, {{2, 4, 4, 3}}},
           LayerExample{{{"pool_size", 3}, {"strides", 2}, {"padding", "same"}}, {{1, 5, 5, 2}}}}};
}

}  // namespace tanuki
