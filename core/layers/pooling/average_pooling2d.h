// AveragePooling2D: the mean of each window; with 'same' padding a border
// window averages only its pixels inside the image, as TensorFlow does.
#pragma once

#include "layers/pooling/pooling2d.h"

namespace tanuki {

class AveragePooling2D : public Pooling2D {
 public:
  explicit AveragePooling2D(const ConfigReader& config) : Pooling2D(config, "average_pooling2d") {}
  std::string className() const override { return "AveragePooling2D"; }

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;
};

}  // namespace tanuki
