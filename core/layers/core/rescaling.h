// Rescaling: y = x * scale + offset, e.g. scale 1/127.5, offset -1 maps
// pixels in [0, 255] to [-1, 1] as MobileNet expects.
#pragma once

#include "layers/layer.h"

namespace tanuki {

class Rescaling : public Layer {
 public:
  explicit Rescaling(const ConfigReader& config);
  std::string className() const override { return "Rescaling"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override { return singleInput(inputShapes); }
  Json getConfig() const override;

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  double scale_, offset_;  // doubles, so that the config reads back as written
};

}  // namespace tanuki
