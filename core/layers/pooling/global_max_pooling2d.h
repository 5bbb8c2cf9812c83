// GlobalMaxPooling2D: the maximum over all pixels of each channel.
#pragma once

#include "layers/pooling/global_pooling2d.h"

namespace tanuki {

class GlobalMaxPooling2D : public GlobalPooling2D {
 public:
  explicit GlobalMaxPooling2D(const ConfigReader& config) : GlobalPooling2D(config, "global_max_pooling2d") {}
  std::string className() const override { return "GlobalMaxPooling2D"; }

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;
};

}  // namespace tanuki
