// Multiply: the element-wise product of two or more inputs whose shapes broadcast.
#pragma once

#include "layers/merging/merge.h"

namespace tanuki {

class Multiply : public Merge {
 public:
  explicit Multiply(const ConfigReader& config) : Merge(config, "multiply") {}
  std::string className() const override { return "Multiply"; }

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;
};

}  // namespace tanuki
