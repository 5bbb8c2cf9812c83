// Reshape: [batch, ...] -> [batch, target_shape...]; one entry of
// target_shape may be -1, sized to fit the rest.
#pragma once

#include "layers/layer.h"

namespace tanuki {

class Reshape : public Layer {
 public:
  explicit Reshape(const ConfigReader& config);
  std::string className() const override { return "Reshape"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  Shape target_;  // without the batch dimension; -1 for the inferred entry
};

}  // namespace tanuki
