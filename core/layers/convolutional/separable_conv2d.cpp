#include "layers/convolutional/separable_conv2d.h"

#include "kernels/depthwise/depthwise_conv.h"
#include "kernels/gemm/gemm.h"
#include "layers/convolutional/bias_activation.h"
#include "layers/convolutional/spatial_shape.h"
#include "util/errors.h"

namespace tanuki {

SeparableConv2D::SeparableConv2D(const ConfigReader& config)
    : Layer(config, "separable_conv2d"),
      filters_(config.getInt("filters", -1)),
      kernelSize_(readIntPair(config, "kernel_size", {0, 0}, layerLabel(config, name()))),
      strides_(readIntPair(config, "strides", {1, 1}, layerLabel(config, name()))),
      same_(readSamePadding(config, layerLabel(config, name()))),
      multiplier_(config.getInt("depth_multiplier", 1)),
      activation_(ActivationFunction::parse(config.getActivation("activation", "linear"))),
      useBias_(config.getBool("use_bias", true)),
      depthwiseInitializer_(config.getInitializer("depthwise_initializer", "glorot_uniform")),
      pointwiseInitializer_(config.getInitializer("pointwise_initializer", "glorot_uniform")),
      biasInitializer_(config.getInitializer("bias_initializer", "zeros")) {
  const std::string label = layerLabel(config, name());
  if (filters_ <= 0) fail<ValueError>(label, ": 'filters' must be a positive integer");
  if (kernelSize_[0] <= 0) fail<ValueError>(label, ": 'kernel_size' is required");
  if (multiplier_ <= 0) fail<ValueError>(label, ": 'depth_multiplier' must be a positive integer");
  requireChannelsLast(config, label);
  requireUndilated(config, label);
}

Shape SeparableConv2D::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  checkImageInput(*this, in, depthwise_ ? depthwise_->shape()[2] : -1, true);
  return windowOutputShape(*this, in, kernelSize_, strides_, same_, filters_);
}

void SeparableConv2D::onBuild(const std::vector<Shape>& inputShapes) {
  const int64_t channels = inputShapes[0][3];
  depthwise_ = addWeight("depthwise_kernel", {kernelSize_[0], kernelSize_[1], channels, multiplier_},
                         depthwiseInitializer_, true);
  pointwise_ = addWeight("pointwise_kernel", {1, 1, channels * multiplier_, filters_}, pointwiseInitializer_, true);
  if (useBias_) bias_ = addWeight("bias", {filters_}, biasInitializer_, true);
}

LayerCall SeparableConv2D::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const kernels::Conv2DGeometry g =
      kernels::conv2DGeometry(x.shape(), kernelSize_[0], kernelSize_[1], strides_[0], strides_[1], same_);
  const int64_t mid = g.channels * multiplier_, pixels = g.batch * g.outH * g.outW;
  Tensor h(Shape{g.batch, g.outH, g.outW, mid});  // the depthwise output
  kernels::depthwiseConv2d(x.data(), depthwise_->value().data(), g, multiplier_, h.data());
  Tensor z(Shape{g.batch, g.outH, g.outW, filters_});  // z = h · pointwise
  kernels::gemm(false, false, pixels, filters_, mid, 1.0f, h.data(), pointwise_->value().data(), 0.0f, z.data());
  const Tensor y = addBiasAndActivate(z, bias_, activation_);

  LayerCall result{y, {}};
  if (!needsBackward(ctx)) return result;
  const bool needDx = ctx.inputNeedsGrad(0);
  const bool trainDepthwise = depthwise_->trainable();
  const bool trainPointwise = pointwise_->trainable();
  const bool trainBias = bias_ && bias_->trainable();
  const Tensor keptX = trainDepthwise ? x : Tensor();
  const ActivationMemo memo = rememberActivation(activation_, z, y);
  const Tensor keptH = trainPointwise ? h : Tensor();
  result.backward = [this, keptX, keptH, memo, g, mid, pixels, needDx, trainDepthwise, trainPointwise, trainBias](
                        const Tensor& dy, Gradients& grads) {
    const Tensor dz = activationGradient(activation_, memo, dy);
    if (trainBias) grads.accumulate(bias_, biasGradient(dz));
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
  c["kernel_size"] = pairToJson(kernelSize_);
  c["strides"] = pairToJson(strides_);
  c["padding"] = same_ ? "same" : "valid";
  c["data_format"] = "channels_last";
  c["dilation_rate"] = pairToJson({1, 1});
  c["depth_multiplier"] = multiplier_;
  c["activation"] = activation_.name();
  c["use_bias"] = useBias_;
  c["depthwise_initializer"] = initializerConfig(depthwiseInitializer_);
  c["pointwise_initializer"] = initializerConfig(pointwiseInitializer_);
  c["bias_initializer"] = initializerConfig(biasInitializer_);
  c["depthwise_regularizer"] = nullptr;
  c["pointwise_regularizer"] = nullptr;
  c["bias_regularizer"] = nullptr;
  c["activity_regularizer"] = nullptr;
  c["depthwise_constraint"] = nullptr;
  c["pointwise_constraint"] = nullptr;
  c["bias_constraint"] = nullptr;
  return c;
}

}  // namespace tanuki
