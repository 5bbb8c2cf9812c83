// Conv2D: y = activation(conv(x, kernel) + bias) on NHWC tensors.
//   x: [batch, H, W, C], kernel: [kH, kW, C, filters], bias: [filters],
//   y: [batch, outH, outW, filters], with TensorFlow's 'same'/'valid' padding.
#pragma once

#include "activations/activation_function.h"
#include "kernels/common/epilogue.h"
#include "layers/convolutional/conv_options.h"
#include "layers/layer.h"

namespace tanuki {

class Conv2D : public Layer {
 public:
  explicit Conv2D(const ConfigReader& config);
  std::string className() const override { return "Conv2D"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

  // For the inference plan (models/inference_plan.h), which folds a following
  // BatchNormalization into these weights and fuses the next activation.
  const VariablePtr& kernel() const { return kernel_; }
  const VariablePtr& bias() const { return bias_; }  // null without use_bias
  const ActivationFunction& activation() const { return activation_; }
  // The output for another kernel (shaped as kernel()), the epilogue applied.
  Tensor inferWith(const Tensor& x, const float* kernel, const kernels::Epilogue& epilogue) const;

 protected:
  void onBuild(const std::vector<Shape>& inputShapes) override;
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  int64_t filters_;
  IntPair kernelSize_, strides_;
  bool same_;
  ActivationFunction activation_;
  bool useBias_;
  std::string kernelInitializer_, biasInitializer_;
  VariablePtr kernel_, bias_;
};

}  // namespace tanuki
