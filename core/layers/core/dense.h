// Dense: y = activation(x · kernel + bias) over the last axis.
//   x: [..., inputDim], kernel: [inputDim, units], bias: [units], y: [..., units]
#pragma once

#include "activations/activation_function.h"
#include "kernels/common/epilogue.h"
#include "layers/layer.h"

namespace tanuki {

class Dense : public Layer {
 public:
  explicit Dense(const ConfigReader& config);
  std::string className() const override { return "Dense"; }
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
  int64_t units_;
  ActivationFunction activation_;
  bool useBias_;
  std::string kernelInitializer_, biasInitializer_;
  VariablePtr kernel_, bias_;
};

}  // namespace tanuki
