#include "layers/convolutional/depthwise_conv2d.h"

#include "kernels/depthwise/depthwise_conv.h"
#include "layers/convolutional/bias_activation.h"
#include "layers/convolutional/spatial_shape.h"
#include "util/errors.h"

namespace tanuki {

DepthwiseConv2D::DepthwiseConv2D(const ConfigReader& config)
    : Layer(config, "depthwise_conv2d"),
      kernelSize_(readIntPair(config, "kernel_size", {0, 0}, layerLabel(config, name()))),
      strides_(readIntPair(config, "strides", {1, 1}, layerLabel(config, name()))),
      same_(readSamePadding(config, layerLabel(config, name()))),
      multiplier_(config.getInt("depth_multiplier", 1)),
      activation_(ActivationFunction::parse(config.getActivation("activation", "linear"))),
      useBias_(config.getBool("use_bias", true)),
      depthwiseInitializer_(config.getInitializer("depthwise_initializer", "glorot_uniform")),
      biasInitializer_(config.getInitializer("bias_initializer", "zeros")) {
  const std::string label = layerLabel(config, name());
  if (kernelSize_[0] <= 0) fail<ValueError>(label, ": 'kernel_size' is required");
  if (multiplier_ <= 0) fail<ValueError>(label, ": 'depth_multiplier' must be a positive integer");
  requireChannelsLast(config, label);
  requireUndilated(config, label);
}

Shape DepthwiseConv2D::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  checkImageInput(*this, in, kernel_ ? kernel_->shape()[2] : -1, true);
  return windowOutputShape(*this, in, kernelSize_, strides_, same_, in[3] * multiplier_);
}

void DepthwiseConv2D::onBuild(const std::vector<Shape>& inputShapes) {
  const int64_t channels = inputShapes[0][3];
  kernel_ = addWeight("depthwise_kernel", {kernelSize_[0], kernelSize_[1], channels, multiplier_},
                      depthwiseInitializer_, true);
  if (useBias_) bias_ = addWeight("bias", {channels * multiplier_}, biasInitializer_, true);
}

LayerCall DepthwiseConv2D::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const kernels::Conv2DGeometry g =
      kernels::conv2DGeometry(x.shape(), kernelSize_[0], kernelSize_[1], strides_[0], strides_[1], same_);
  Tensor z = Tensor::uninitialized(Shape{g.batch, g.outH, g.outW, g.channels * multiplier_});
  kernels::depthwiseConv2d(x.data(), kernel_->value().data(), g, multiplier_, z.data());
  const Tensor y = addBiasAndActivate(z, bias_, activation_);

  LayerCall result{y, {}};
  if (!needsBackward(ctx)) return result;
  const bool needDx = ctx.inputNeedsGrad(0);
  const bool trainKernel = kernel_->trainable();
  const bool trainBias = bias_ && bias_->trainable();
  const Tensor keptX = trainKernel ? x : Tensor();
  const ActivationMemo memo = rememberActivation(activation_, z, y);
  result.backward = [this, keptX, memo, g, needDx, trainKernel, trainBias](const Tensor& dy, Gradients& grads) {
    const Tensor dz = activationGradient(activation_, memo, dy);
    if (trainKernel) {
      Tensor dk(kernel_->shape());
      kernels::depthwiseConv2dBackwardFilter(keptX.data(), dz.data(), g, multiplier_, dk.data());
      grads.accumulate(kernel_, dk);
    }
    if (trainBias) grads.accumulate(bias_, biasGradient(dz));
    std::vector<Tensor> dx(1);
    if (needDx) {
      dx[0] = Tensor::uninitialized(Shape{g.batch, g.inH, g.inW, g.channels});
      kernels::depthwiseConv2dBackwardInput(dz.data(), kernel_->value().data(), g, multiplier_, dx[0].data());
    }
    return dx;
  };
  return result;
}

Tensor DepthwiseConv2D::inferWith(const Tensor& x, const float* kernel, const kernels::Epilogue& epilogue) const {
  return inferOver(x, kernels::conv2DGeometry(x.shape(), kernelSize_[0], kernelSize_[1], strides_[0], strides_[1], same_),
                   kernel, epilogue);
}

Tensor DepthwiseConv2D::inferOver(const Tensor& x, const kernels::Conv2DGeometry& g, const float* kernel,
                                  const kernels::Epilogue& epilogue) const {
  Tensor y = Tensor::uninitialized(Shape{g.batch, g.outH, g.outW, g.channels * multiplier_});
  kernels::depthwiseConv2d(x.data(), kernel, g, multiplier_, y.data(), epilogue);
  return y;
}

Tensor DepthwiseConv2D::inferPadded(const Tensor& x, const kernels::Padding2D& pad, const float* kernel,
                                    const kernels::Epilogue& epilogue) const {
  if (same_) fail<StateError>("inferPadded needs a layer with 'valid' padding");
  return inferOver(x, kernels::paddedConv2DGeometry(x.shape(), pad, kernelSize_[0], kernelSize_[1], strides_[0], strides_[1]),
                   kernel, epilogue);
}

Json DepthwiseConv2D::getConfig() const {
  Json c = Layer::getConfig();
  c["kernel_size"] = pairToJson(kernelSize_);
  c["strides"] = pairToJson(strides_);
  c["padding"] = same_ ? "same" : "valid";
  c["depth_multiplier"] = multiplier_;
  c["data_format"] = "channels_last";
  c["dilation_rate"] = pairToJson({1, 1});
  c["activation"] = activation_.name();
  c["use_bias"] = useBias_;
  c["depthwise_initializer"] = initializerConfig(depthwiseInitializer_);
  c["bias_initializer"] = initializerConfig(biasInitializer_);
  c["depthwise_regularizer"] = nullptr;
  c["bias_regularizer"] = nullptr;
  c["activity_regularizer"] = nullptr;
  c["depthwise_constraint"] = nullptr;
  c["bias_constraint"] = nullptr;
  return c;
}

}  // namespace tanuki
