// Add: the element-wise sum of two or more inputs whose shapes broadcast.
#pragma once

#include "layers/merging/merge.h"

namespace tanuki {

class Add : public Merge {
 public:
  explicit Add(const ConfigReader& config) : Merge(config, "add") {}
  std::string className() const override { return "Add"; }

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;
};

}  // namespace tanuki
