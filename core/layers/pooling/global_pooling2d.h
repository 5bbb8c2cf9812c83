// What GlobalAveragePooling2D and GlobalMaxPooling2D share: one value per
// image and channel, over all pixels.
//   x: [batch, H, W, C] -> y: [batch, C], or [batch, 1, 1, C] with keepdims
#pragma once

#include "layers/layer.h"

namespace tanuki {

class GlobalPooling2D : public Layer {
 public:
  GlobalPooling2D(const ConfigReader& config, const std::string& defaultName);
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

 protected:
  // [batch, C] or [batch, 1, 1, C]
  Shape outputShape(int64_t batch, int64_t channels) const;

 private:
  bool keepdims_;
};

}  // namespace tanuki
