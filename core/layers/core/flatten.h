// Flatten: [batch, d1, d2, ...] -> [batch, d1 * d2 * ...]; the values keep
// their (row-major, channels-last) order.
#pragma once

#include "layers/layer.h"

namespace tanuki {

class Flatten : public Layer {
 public:
  explicit Flatten(const ConfigReader& config);
  std::string className() const override { return "Flatten"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;
};

}  // namespace tanuki
