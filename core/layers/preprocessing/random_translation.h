// RandomTranslation: shifts each image by a random fraction of its height
// and width, as keras.layers.RandomTranslation. 0.1 means up to 10% either
// way; [a, b] draws from [a, b] (positive: down / right).
#pragma once

#include "layers/preprocessing/affine_transform.h"
#include "layers/preprocessing/augmentation_layer.h"
#include "layers/preprocessing/factor_range.h"

namespace tanuki {

class RandomTranslation : public AugmentationLayer {
 public:
  explicit RandomTranslation(const ConfigReader& config);
  std::string className() const override { return "RandomTranslation"; }
  Json getConfig() const override;

 protected:
  void augmentImage(const float* in, float* out, int64_t height, int64_t width, int64_t channels,
                    std::mt19937_64& rng) override;

 private:
  FactorRange height_;
  FactorRange width_;
  TransformOptions transform_;
};

}  // namespace tanuki
