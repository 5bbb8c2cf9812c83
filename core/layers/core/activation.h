// Activation: applies a named activation function element-wise.
#pragma once

#include "activations/activation_function.h"
#include "layers/layer.h"

namespace tanuki {

class Activation : public Layer {
 public:
  explicit Activation(const ConfigReader& config);
  std::string className() const override { return "Activation"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override { return singleInput(inputShapes); }
  Json getConfig() const override;
  // For linear, relu and relu6.
  std::optional<ClampRange> clampRange() const override;

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  ActivationFunction activation_;
};

// Shared by every layer that is just y = f(x): runs f and records its derivative.
LayerCall applyActivation(const ActivationFunction& f, const Tensor& x, bool record, bool needDx);

}  // namespace tanuki
