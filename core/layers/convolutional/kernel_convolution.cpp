#include "layers/convolutional/kernel_convolution.h"

#include "layers/convolutional/spatial_shape.h"

namespace tanuki {

KernelConvolution::KernelConvolution(const ConfigReader& config, const std::string& defaultName,
                                     std::string kernelOption, std::string kernelWeight, const char* nOption,
                                     int64_t nFallback, ConvolutionKernels ops)
    : Layer(config, defaultName),
      window_(config, layerLabel(config, name())),
      n_(readPositiveInt(config, nOption, nFallback, layerLabel(config, name()))),
      tail_(config),
      kernelOption_(std::move(kernelOption)),
      kernelWeight_(std::move(kernelWeight)),
      kernelInitializer_(config.getInitializer((kernelOption_ + "_initializer").c_str(), "glorot_uniform")),
      ops_(ops) {}

Shape KernelConvolution::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  checkImageInput(*this, in, kernel_ ? kernel_->shape()[2] : -1, true);
  return window_.outputShape(*this, in, outputChannels(in[3]));
}

void KernelConvolution::onBuild(const std::vector<Shape>& inputShapes) {
  const int64_t channels = inputShapes[0][3];
  kernel_ = addWeight(kernelWeight_, {window_.size[0], window_.size[1], channels, n_}, kernelInitializer_, true);
  if (tail_.useBias()) tail_.bias = addWeight("bias", {outputChannels(channels)}, tail_.biasInitializer(), true);
}

LayerCall KernelConvolution::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const kernels::Conv2DGeometry g = window_.geometry(x.shape());
  Tensor z = Tensor::uninitialized(Shape{g.batch, g.outH, g.outW, outputChannels(g.channels)});
  ops_.forward(x.data(), kernel_->value().data(), g, n_, z.data(), {});
  const Tensor y = tail_.forward(z);

  LayerCall result{y, {}};
  if (!needsBackward(ctx)) return result;
  const bool needDx = ctx.inputNeedsGrad(0);
  const bool trainKernel = trains(kernel_);
  // x is kept only when the kernel's gradient needs it.
  const Tensor keptX = trainKernel ? x : Tensor();
  const BiasActivation::Memo memo = tail_.remember(z, y);
  result.backward = [this, keptX, memo, g, needDx, trainKernel](const Tensor& dy, Gradients& grads) {
    const Tensor dz = tail_.backward(memo, dy, grads);
    if (trainKernel) {
      Tensor dk(kernel_->shape());
      ops_.backwardFilter(keptX.data(), dz.data(), g, n_, dk.data());
      grads.accumulate(kernel_, dk);
    }
    std::vector<Tensor> dx(1);
    if (needDx) {
      dx[0] = Tensor::uninitialized(Shape{g.batch, g.inH, g.inW, g.channels});
      ops_.backwardInput(dz.data(), kernel_->value().data(), g, n_, dx[0].data());
    }
    return dx;
  };
  return result;
}

const FusableProducer* KernelConvolution::fusableProducer() const {
  return tail_.activation().isLinear() ? this : nullptr;
}

Tensor KernelConvolution::inferWith(const Tensor& x, const float* kernel, const kernels::Epilogue& epilogue) const {
  return inferOver(x, window_.geometry(x.shape()), kernel, epilogue);
}

Tensor KernelConvolution::inferOver(const Tensor& x, const kernels::Conv2DGeometry& g, const float* kernel,
                                    const kernels::Epilogue& epilogue) const {
  Tensor y = Tensor::uninitialized(Shape{g.batch, g.outH, g.outW, outputChannels(g.channels)});
  ops_.forward(x.data(), kernel, g, n_, y.data(), epilogue);
  return y;
}

Json KernelConvolution::getConfig() const {
  Json c = Layer::getConfig();
  window_.writeConfig(c);
  writeOwnConfig(c);
  tail_.writeConfig(c);
  writeWeightConfig(c, kernelOption_, kernelInitializer_);
  return c;
}

}  // namespace tanuki
