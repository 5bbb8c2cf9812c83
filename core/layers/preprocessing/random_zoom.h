// RandomZoom: zooms each image in or out about its centre, as
// keras.layers.RandomZoom. Factors are fractions: 0.2 means zoom in or out
// by up to 20%; [a, b] draws from [a, b], where positive values zoom out and
// negative values zoom in. Without width_factor the aspect ratio is kept.
#pragma once

#include <optional>

#include "layers/preprocessing/affine_transform.h"
#include "layers/preprocessing/augmentation_layer.h"
#include "layers/preprocessing/factor_range.h"

namespace tanuki {

class RandomZoom : public AugmentationLayer {
 public:
  explicit RandomZoom(const ConfigReader& config);
  std::string className() const override { return "RandomZoom"; }
  Json getConfig() const override;

 protected:
  void augmentImage(const float* in, float* out, int64_t height, int64_t width, int64_t channels,
                    std::mt19937_64& rng) override;

 private:
  FactorRange height_;
  std::optional<FactorRange> width_;
  TransformOptions transform_;
};

}  // namespace tanuki
