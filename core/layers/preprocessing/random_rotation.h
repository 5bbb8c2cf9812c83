// RandomRotation: rotates each image about its centre by a random angle,
// as keras.layers.RandomRotation. `factor` is a fraction of a full turn:
// 0.1 means a random angle in [-36°, 36°], [a, b] means [a*360°, b*360°];
// positive angles turn counter-clockwise.
#pragma once

#include "layers/preprocessing/affine_transform.h"
#include "layers/preprocessing/augmentation_layer.h"
#include "layers/preprocessing/factor_range.h"

namespace tanuki {

class RandomRotation : public AugmentationLayer {
 public:
  explicit RandomRotation(const ConfigReader& config);
  std::string className() const override { return "RandomRotation"; }
  Json getConfig() const override;

 protected:
  void augmentImage(const float* in, float* out, int64_t height, int64_t width, int64_t channels,
                    std::mt19937_64& rng) override;

 private:
  FactorRange factor_;
  TransformOptions transform_;
};

}  // namespace tanuki
