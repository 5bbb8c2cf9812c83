// What Conv2D and DepthwiseConv2D share: a convolution with one kernel
//   x: [batch, H, W, C], kernel: [kH, kW, C, n], y: [batch, outH, outW, out]
// (n = filters or depth_multiplier), then bias and activation. They differ
// only in the kernel functions they run and in how many output channels n
// makes; the window, the shape checks, the forward/backward skeleton, the
// fusion answers and the config lines are written here once.
#pragma once

#include "kernels/common/conv_geometry.h"
#include "kernels/common/epilogue.h"
#include "layers/bias_activation.h"
#include "layers/convolutional/conv_window.h"
#include "layers/layer.h"

namespace tanuki {

// The kernel functions of one convolution, all with the same shape of call.
struct ConvolutionKernels {
  void (*forward)(const float* x, const float* kernel, const kernels::Conv2DGeometry& g, int64_t n, float* y,
                  const kernels::Epilogue& epilogue);
  void (*backwardInput)(const float* dy, const float* kernel, const kernels::Conv2DGeometry& g, int64_t n, float* dx);
  void (*backwardFilter)(const float* x, const float* dy, const kernels::Conv2DGeometry& g, int64_t n, float* dkernel);
};

class KernelConvolution : public Layer, public FusableProducer {
 public:
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

  const FusableProducer* fusableProducer() const override;
  const VariablePtr& kernel() const override { return kernel_; }
  const VariablePtr& bias() const override { return tail_.bias; }
  Tensor inferWith(const Tensor& x, const float* kernel, const kernels::Epilogue& epilogue) const override;

 protected:
  // `kernelOption`: the kernel's name in config options ("kernel" in
  // kernel_initializer, "depthwise" in depthwise_initializer); the weight is
  // `kernelWeight` ("kernel", "depthwise_kernel"). `n`: the kernel's last axis.
  KernelConvolution(const ConfigReader& config, const std::string& defaultName, std::string kernelOption,
                    std::string kernelWeight, const char* nOption, int64_t nFallback, ConvolutionKernels ops);
  // The output channels for this many input channels.
  virtual int64_t outputChannels(int64_t inputChannels) const = 0;
  // The layer's own config lines (filters, depth_multiplier, ...).
  virtual void writeOwnConfig(Json& config) const = 0;

  void onBuild(const std::vector<Shape>& inputShapes) override;
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;
  Tensor inferOver(const Tensor& x, const kernels::Conv2DGeometry& g, const float* kernel,
                   const kernels::Epilogue& epilogue) const;

  const ConvWindow window_;
  const int64_t n_;

 private:
  BiasActivation tail_;
  std::string kernelOption_, kernelWeight_, kernelInitializer_;
  ConvolutionKernels ops_;
  VariablePtr kernel_;
};

}  // namespace tanuki
