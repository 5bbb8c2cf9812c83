// Conv2D: y = activation(conv(x, kernel) + bias) on NHWC tensors.
//   x: [batch, H, W, C], kernel: [kH, kW, C, filters], bias: [filters],
//   y: [batch, outH, outW, filters], with TensorFlow's 'same'/'valid' padding.
#pragma once

#include "layers/convolutional/kernel_convolution.h"

namespace tanuki {

class Conv2D : public KernelConvolution {
 public:
  explicit Conv2D(const ConfigReader& config);
  std::string className() const override { return "Conv2D"; }

 protected:
  int64_t outputChannels(int64_t /*inputChannels*/) const override { return n_; }
  void writeOwnConfig(Json& config) const override;
};

}  // namespace tanuki
