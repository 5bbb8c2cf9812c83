// Dropout: with training=true, zeroes each value with probability `rate` and
// scales the rest by 1 / (1 - rate) (inverted dropout), so inference is the
// identity. The mask comes from the core's global generator, so a global seed
// makes it repeatable; a per-layer `seed` is kept only for the config.
#pragma once

#include "layers/layer.h"

namespace tanuki {

class Dropout : public Layer {
 public:
  explicit Dropout(const ConfigReader& config);
  std::string className() const override { return "Dropout"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override { return singleInput(inputShapes); }
  Json getConfig() const override;

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  double rate_;  // double, so that the config reads back as written (0.1, not 0.100000001)
  Json seed_;
};

}  // namespace tanuki
