// DepthwiseConv2D: each input channel convolved with its own
// `depth_multiplier` filters, then bias and activation.
//   x: [batch, H, W, C], depthwise_kernel: [kH, kW, C, multiplier],
//   bias: [C * multiplier], y: [batch, outH, outW, C * multiplier]
#pragma once

#include "layers/convolutional/kernel_convolution.h"

namespace tanuki {

class DepthwiseConv2D : public KernelConvolution {
 public:
  explicit DepthwiseConv2D(const ConfigReader& config);
  std::string className() const override { return "DepthwiseConv2D"; }

  // A 'valid' depthwise convolution takes a preceding zero padding as its
  // implicit padding, without the padded copy.
  bool foldsZeroPadding() const override { return !window_.same; }
  Tensor inferPadded(const Tensor& x, const kernels::Padding2D& pad, const float* kernel,
                     const kernels::Epilogue& epilogue) const override;

 protected:
  int64_t outputChannels(int64_t inputChannels) const override { return inputChannels * n_; }
  void writeOwnConfig(Json& config) const override { config["depth_multiplier"] = n_; }
};

}  // namespace tanuki
