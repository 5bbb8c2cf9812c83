#include "layers/convolutional/conv2d.h"

#include "kernels/conv2d/conv2d.h"
#include "layers/convolutional/bias_activation.h"
#include "layers/convolutional/spatial_shape.h"
#include "util/errors.h"

namespace tanuki {

Conv2D::Conv2D(const ConfigReader& config)
    : Layer(config, "conv2d"),
      filters_(config.getInt("filters", -1)),
      kernelSize_(readIntPair(config, "kernel_size", {0, 0}, layerLabel(config, name()))),
      strides_(readIntPair(config, "strides", {1, 1}, layerLabel(config, name()))),
      same_(readSamePadding(config, layerLabel(config, name()))),
      activation_(ActivationFunction::parse(config.getActivation("activation", "linear"))),
      useBias_(config.getBool("use_bias", true)),
      kernelInitializer_(config.getInitializer("kernel_initializer", "glorot_uniform")),
      biasInitializer_(config.getInitializer("bias_initializer", "zeros")) {
  const std::string label = layerLabel(config, name());
  if (filters_ <= 0) fail<ValueError>(label, ": 'filters' must be a positive integer");
  if (kernelSize_[0] <= 0) fail<ValueError>(label, ": 'kernel_size' is required");
  requireChannelsLast(config, label);
  requireUndilated(config, label);
}

Shape Conv2D::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  checkImageInput(*this, in, kernel_ ? kernel_->shape()[2] : -1, true);
  return windowOutputShape(*this, in, kernelSize_, strides_, same_, filters_);
}

void Conv2D::onBuild(const std::vector<Shape>& inputShapes) {
  const int64_t channels = inputShapes[0][3];
  kernel_ = addWeight("kernel", {kernelSize_[0], kernelSize_[1], channels, filters_}, kernelInitializer_, true);
  if (useBias_) bias_ = addWeight("bias", {filters_}, biasInitializer_, true);
}

LayerCall Conv2D::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const kernels::Conv2DGeometry g =
      kernels::conv2DGeometry(x.shape(), kernelSize_[0], kernelSize_[1], strides_[0], strides_[1], same_);
  Tensor z = Tensor::uninitialized(Shape{g.batch, g.outH, g.outW, filters_});
  kernels::conv2d(x.data(), kernel_->value().data(), g, filters_, z.data());
  const Tensor y = addBiasAndActivate(z, bias_, activation_);

  LayerCall result{y, {}};
  if (!needsBackward(ctx)) return result;
  const bool needDx = ctx.inputNeedsGrad(0);
  const bool trainKernel = kernel_->trainable();
  const bool trainBias = bias_ && bias_->trainable();
  // x is kept only when the kernel's gradient needs it.
  const Tensor keptX = trainKernel ? x : Tensor();
  const ActivationMemo memo = rememberActivation(activation_, z, y);
  result.backward = [this, keptX, memo, g, needDx, trainKernel, trainBias](const Tensor& dy, Gradients& grads) {
    const Tensor dz = activationGradient(activation_, memo, dy);
    if (trainKernel) {
      Tensor dk(kernel_->shape());
      kernels::conv2dBackwardFilter(keptX.data(), dz.data(), g, filters_, dk.data());
      grads.accumulate(kernel_, dk);
    }
    if (trainBias) grads.accumulate(bias_, biasGradient(dz));
    std::vector<Tensor> dx(1);
    if (needDx) {
      dx[0] = Tensor::uninitialized(Shape{g.batch, g.inH, g.inW, g.channels});
      kernels::conv2dBackwardInput(dz.data(), kernel_->value().data(), g, filters_, dx[0].data());
    }
    return dx;
  };
  return result;
}

Tensor Conv2D::inferWith(const Tensor& x, const float* kernel, const kernels::Epilogue& epilogue) const {
  const kernels::Conv2DGeometry g =
      kernels::conv2DGeometry(x.shape(), kernelSize_[0], kernelSize_[1], strides_[0], strides_[1], same_);
  Tensor y = Tensor::uninitialized(Shape{g.batch, g.outH, g.outW, filters_});
  kernels::conv2d(x.data(), kernel, g, filters_, y.data(), epilogue);
  return y;
}

Json Conv2D::getConfig() const {
  Json c = Layer::getConfig();
  c["filters"] = filters_;
  c["kernel_size"] = pairToJson(kernelSize_);
  c["strides"] = pairToJson(strides_);
  c["padding"] = same_ ? "same" : "valid";
  c["data_format"] = "channels_last";
  c["dilation_rate"] = pairToJson({1, 1});
  c["groups"] = 1;
  c["activation"] = activation_.name();
  c["use_bias"] = useBias_;
  c["kernel_initializer"] = initializerConfig(kernelInitializer_);
  c["bias_initializer"] = initializerConfig(biasInitializer_);
  c["kernel_regularizer"] = nullptr;
  c["bias_regularizer"] = nullptr;
  c["activity_regularizer"] = nullptr;
  c["kernel_constraint"] = nullptr;
  c["bias_constraint"] = nullptr;
  return c;
}

}  // namespace tanuki
