#include "layers/convolutional/separable_conv2d.h"

#include "kernels/depthwise/depthwise_conv.h"
#include "kernels/gemm/gemm.h"
#include "layers/convolutional/spatial_shape.h"
#include "layers/layer_registration.h"

namespace tanuki {

SeparableConv2D::SeparableConv2D(const ConfigReader& config)
    : Layer(config, "separable_conv2d"),
      filters_(readPositiveInt(config, "filters", -1, layerLabel(config, name()))),
      window_(config, layerLabel(config, name())),
      multiplier_(readPositiveInt(config, "depth_multiplier", 1, layerLabel(config, name()))),
      tail_(config),
      depthwiseInitializer_(config.getInitializer("depthwise_initializer", "glorot_uniform")),
      pointwiseInitializer_(config.getInitializer("pointwise_initializer", "glorot_uniform")) {}

Shape SeparableConv2D::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  checkImageInput(*this, in, depthwise_ ? depthwise_->shape()[2] : -1, true);
  return window_.outputShape(*this, in, filters_);
}

void SeparableConv2D::onBuild(const std::vector<Shape>& inputShapes) {
  const int64_t channels = inputShapes[0][3];
  depthwise_ = addWeight("depthwise_kernel", {window_.size[0], window_.size[1], channels, multiplier_},
                         depthwiseInitializer_, true);
  pointwise_ = addWeight("pointwise_kernel", {1, 1, channels * multiplier_, filters_}, pointwiseInitializer_, true);
  if (tail_.useBias()) tail_.bias = addWeight("bias", {filters_}, tail_.biasInitializer(), true);
}

LayerCall SeparableConv2D::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const kernels::Conv2DGeometry g = window_.geometry(x.shape());
  const int64_t mid = g.channels * multiplier_, pixels = g.batch * g.outH * g.outW;
  Tensor h(Shape{g.batch, g.outH, g.outW, mid});  // the depthwise output
  kernels::depthwiseConv2d(x.data(), depthwise_->value().data(), g, multiplier_, h.data());
  Tensor z(Shape{g.batch, g.outH, g.outW, filters_});  // z = h · pointwise
  kernels::gemm(false, false, pixels, filters_, mid, 1.0f, h.data(), pointwise_->value().data(), 0.0f, z.data());
  const Tensor y = tail_.forward(z);

  LayerCall result{y, {}};
  if (!needsBackward(ctx)) return result;
  const bool needDx = ctx.inputNeedsGrad(0);
  const bool trainDepthwise = trains(depthwise_);
  const bool trainPointwise = trains(pointwise_);
  const Tensor keptX = trainDepthwise ? x : Tensor();
  const BiasActivation::Memo memo = tail_.remember(z, y);
  const Tensor keptH = trainPointwise ? h : Tensor();
  result.backward = [this, keptX, keptH, memo, g, mid, pixels, needDx, trainDepthwise, trainPointwise](
                        const Tensor& dy, Gradients& grads) {
    const Tensor dz = tail_.backward(memo, dy, grads);
    if (trainPointwise) {  // dPointwise = hᵀ · dz
      Tensor dp(pointwise_->shape());
      kernels::gemm(true, false, mid, filters_, pixels, 1.0f, keptH.data(), dz.data(), 0.0f, dp.data());
      grads.accumulate(pointwise_, dp);
    }
    std::vector<Tensor> dx(1);
    if (!trainDepthwise && !needDx) return dx;
    Tensor dh(Shape{g.batch, g.outH, g.outW, mid});  // dh = dz · pointwiseᵀ
    kernels::gemm(false, true, pixels, mid, filters_, 1.0f, dz.data(), pointwise_->value().data(), 0.0f, dh.data());
    if (trainDepthwise) {
      Tensor dk(depthwise_->shape());
      kernels::depthwiseConv2dBackwardFilter(keptX.data(), dh.data(), g, multiplier_, dk.data());
      grads.accumulate(depthwise_, dk);
    }
    if (needDx) {
      dx[0] = Tensor(Shape{g.batch, g.inH, g.inW, g.channels});
      kernels::depthwiseConv2dBackwardInput(dh.data(), depthwise_->value().data(), g, multiplier_, dx[0].data());
    }
    return dx;
  };
  return result;
}

Json SeparableConv2D::getConfig() const {
  Json c = Layer::getConfig();
  c["filters"] = filters_;
  window_.writeConfig(c);
  c["depth_multiplier"] = multiplier_;
  tail_.writeConfig(c);
  writeWeightConfig(c, "depthwise", depthwiseInitializer_);
  writeWeightConfig(c, "pointwise", pointwiseInitializer_);
  return c;
}

template <>
LayerRegistration registration<SeparableConv2D>() {
  return {
      "SeparableConv2D",
      createAs<SeparableConv2D>,
      {LayerExample{{{"filters", 3}, {"kernel_size", 3}, {"depth_multiplier", 2}}, {{2, 5, 5, 2}}},
       LayerExample{{{"filters", 2}, {"kernel_size", 3}, {"strides", 2}, {"padding", "same"}, {"activation", "tanh"}},
                    {{1, 6, 6, 3}}}}};
}

}  // namespace tanuki
