// SeparableConv2D: a depthwise convolution followed by a pointwise (1x1)
// one, then bias and activation.
//   x: [batch, H, W, C], depthwise_kernel: [kH, kW, C, multiplier],
//   pointwise_kernel: [1, 1, C * multiplier, filters], bias: [filters],
//   y: [batch, outH, outW, filters]
#pragma once

#include "layers/bias_activation.h"
#include "layers/convolutional/conv_window.h"
#include "layers/layer.h"

namespace tanuki {

class SeparableConv2D : public Layer {
 public:
  explicit SeparableConv2D(const ConfigReader& config);
  std::string className() const override { return "SeparableConv2D"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

 protected:
  void onBuild(const std::vector<Shape>& inputShapes) override;
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  int64_t filters_;
  ConvWindow window_;
  int64_t multiplier_;
  BiasActivation tail_;
  std::string depthwiseInitializer_, pointwiseInitializer_;
  VariablePtr depthwise_, pointwise_;
};

}  // namespace tanuki
