// Dense: y = activation(x · kernel + bias) over the last axis.
//   x: [..., inputDim], kernel: [inputDim, units], bias: [units], y: [..., units]
#pragma once

#include "layers/bias_activation.h"
#include "layers/layer.h"

namespace tanuki {

class Dense : public Layer, public FusableProducer {
 public:
  explicit Dense(const ConfigReader& config);
  std::string className() const override { return "Dense"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

  const FusableProducer* fusableProducer() const override;
  const VariablePtr& kernel() const override { return kernel_; }
  const VariablePtr& bias() const override { return tail_.bias; }
  Tensor inferWith(const Tensor& x, const float* kernel, const kernels::Epilogue& epilogue) const override;

 protected:
  void onBuild(const std::vector<Shape>& inputShapes) override;
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  int64_t units_;
  BiasActivation tail_;
  std::string kernelInitializer_;
  VariablePtr kernel_;
};

}  // namespace tanuki
