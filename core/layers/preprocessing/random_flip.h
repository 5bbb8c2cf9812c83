// RandomFlip: mirrors each image left-right and/or upside down with
// probability 1/2 per direction, as keras.layers.RandomFlip.
#pragma once

#include "layers/preprocessing/augmentation_layer.h"

namespace tanuki {

class RandomFlip : public AugmentationLayer {
 public:
  explicit RandomFlip(const ConfigReader& config);
  std::string className() const override { return "RandomFlip"; }
  Json getConfig() const override;

 protected:
  void augmentImage(const float* in, float* out, int64_t height, int64_t width, int64_t channels,
                    std::mt19937_64& rng) override;

 private:
  std::string mode_;
  bool horizontal_;
  bool vertical_;
};

}  // namespace tanuki
