// GlobalAveragePooling2D: the mean over all pixels of each channel.
#pragma once

#include "layers/pooling/global_pooling2d.h"

namespace tanuki {

class GlobalAveragePooling2D : public GlobalPooling2D {
 public:
  explicit GlobalAveragePooling2D(const ConfigReader& config) : GlobalPooling2D(config, "global_average_pooling2d") {}
  std::string className() const override { return "GlobalAveragePooling2D"; }

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;
};

}  // namespace tanuki
