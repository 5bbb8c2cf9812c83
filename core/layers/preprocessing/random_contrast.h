// RandomContrast: scales each image's deviation from its per-channel mean by
// a random factor in [1 - lower, 1 + upper], then clips to value_range, as
// keras.layers.RandomContrast. factor f means lower = upper = f; images
// scaled to [0, 1] or [-1, 1] need value_range set to match.
#pragma once

#include "layers/preprocessing/augmentation_layer.h"
#include "layers/preprocessing/factor_range.h"

namespace tanuki {

class RandomContrast : public AugmentationLayer {
 public:
  explicit RandomContrast(const ConfigReader& config);
  std::string className() const override { return "RandomContrast"; }
  Json getConfig() const override;

 protected:
  void augmentImage(const float* in, float* out, int64_t height, int64_t width, int64_t channels,
                    std::mt19937_64& rng) override;

 private:
  FactorRange factor_;
  float low_ = 0.0f;  // value_range
  float high_ = 255.0f;
};

}  // namespace tanuki
