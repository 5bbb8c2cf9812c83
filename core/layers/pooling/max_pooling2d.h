// MaxPooling2D: the maximum of each window (padding never wins).
#pragma once

#include "layers/pooling/pooling2d.h"

namespace tanuki {

class MaxPooling2D : public Pooling2D {
 public:
  explicit MaxPooling2D(const ConfigReader& config) : Pooling2D(config, "max_pooling2d") {}
  std::string className() const override { return "MaxPooling2D"; }

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;
};

}  // namespace tanuki
