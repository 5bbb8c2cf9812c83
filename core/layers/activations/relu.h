// ReLU layer, exactly as Keras defines it:
//   f(x) = max_value                      if x >= max_value
//          x                              if threshold <= x < max_value
//          negative_slope * (x - threshold) otherwise
// (max_value null: no upper bound). ReLU(max_value=6) is MobileNet's relu6.
#pragma once

#include <optional>

#include "layers/layer.h"

namespace tanuki {

class ReLU : public Layer {
 public:
  explicit ReLU(const ConfigReader& config);
  std::string className() const override { return "ReLU"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override { return singleInput(inputShapes); }
  Json getConfig() const override;
  // [0, max_value] when threshold and negative_slope are 0.
  std::optional<ClampRange> clampRange() const override;

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  std::optional<double> maxValue_;
  double negativeSlope_, threshold_;
};

}  // namespace tanuki
