// Dense: y = activation(x · kernel + bias) over the last axis.
//   x: [..., inputDim], kernel: [inputDim, units], bias: [units], y: [..., units]
#pragma once

#include "activations/activation_function.h"
#include "layers/layer.h"

namespace tanuki {

class Dense : public Layer {
 public:
  explicit Dense(const ConfigReader& config);
  std::string className() const override { return "Dense"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

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
