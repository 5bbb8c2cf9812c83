// Softmax: y = exp(x) / Σ exp(x) over the last axis (the only axis
// supported; Keras's default).
#pragma once

#include "layers/layer.h"

namespace tanuki {

class Softmax : public Layer {
 public:
  explicit Softmax(const ConfigReader& config);
  std::string className() const override { return "Softmax"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  int64_t axis_;
};

}  // namespace tanuki
