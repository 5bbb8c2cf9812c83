// DepthwiseConv2D: each input channel convolved with its own
// `depth_multiplier` filters, then bias and activation.
//   x: [batch, H, W, C], depthwise_kernel: [kH, kW, C, multiplier],
//   bias: [C * multiplier], y: [batch, outH, outW, C * multiplier]
#pragma once

#include "activations/activation_function.h"
#include "kernels/common/conv_geometry.h"
#include "kernels/common/epilogue.h"
#include "layers/convolutional/conv_options.h"
#include "layers/layer.h"

namespace tanuki {

class DepthwiseConv2D : public Layer {
 public:
  explicit DepthwiseConv2D(const ConfigReader& config);
  std::string className() const override { return "DepthwiseConv2D"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

  // For the inference plan (models/inference_plan.h), which folds a following
  // BatchNormalization into these weights and fuses the next activation.
  const VariablePtr& kernel() const { return kernel_; }
  const VariablePtr& bias() const { return bias_; }  // null without use_bias
  const ActivationFunction& activation() const { return activation_; }
  // The output for another kernel (shaped as kernel()), the epilogue applied.
  Tensor inferWith(const Tensor& x, const float* kernel, const kernels::Epilogue& epilogue) const;
  // The same for x zero-padded by `pad` first (a ZeroPadding2D before this
  // layer), without making the padded copy. Only for 'valid' padding.
  Tensor inferPadded(const Tensor& x, const kernels::Padding2D& pad, const float* kernel,
                     const kernels::Epilogue& epilogue) const;
  bool validPadding() const { return !same_; }

 protected:
  void onBuild(const std::vector<Shape>& inputShapes) override;
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  IntPair kernelSize_, strides_;
  Tensor inferOver(const Tensor& x, const kernels::Conv2DGeometry& g, const float* kernel,
                   const kernels::Epilogue& epilogue) const;

  bool same_;
  int64_t multiplier_;
  ActivationFunction activation_;
  bool useBias_;
  std::string depthwiseInitializer_, biasInitializer_;
  VariablePtr kernel_, bias_;
};

}  // namespace tanuki
