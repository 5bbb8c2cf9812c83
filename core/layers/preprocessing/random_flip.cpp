#include "layers/preprocessing/random_flip.h"

#include <algorithm>

#include "layers/layer_registration.h"

namespace tanuki {

RandomFlip::RandomFlip(const ConfigReader& config)
    : AugmentationLayer(config, "random_flip"), mode_(config.getString("mode", "horizontal_and_vertical")) {
  config.requireOneOf("mode", mode_, {"horizontal", "vertical", "horizontal_and_vertical"});
  horizontal_ = mode_ != "vertical";
  vertical_ = mode_ != "horizontal";
}

void RandomFlip::augmentImage(const float* in, float* out, int64_t height, int64_t width, int64_t channels,
                              std::mt19937_64& rng) {
  // Both draws happen in every mode so one seed gives one sequence of images.
  const bool flipX = uniform(rng, 0, 1) < 0.5f && horizontal_;
  const bool flipY = uniform(rng, 0, 1) < 0.5f && vertical_;
  for (int64_t y = 0; y < height; ++y) {
    const int64_t sy = flipY ? height - 1 - y : y;
    for (int64_t x = 0; x < width; ++x) {
      const int64_t sx = flipX ? width - 1 - x : x;
      const float* src = in + (sy * width + sx) * channels;
      std::copy(src, src + channels, out + (y * width + x) * channels);
    }
  }
}

Json RandomFlip::getConfig() const {
  Json c = AugmentationLayer::getConfig();
  c["mode"] = mode_;
  return c;
}

template <>
LayerRegistration registration<RandomFlip>() {
  return {
      "RandomFlip", createAs<RandomFlip>, {LayerExample{{{"mode", "horizontal"}, {"seed", 1}}, {{2, 4, 4, 3}}, false}}};
}

}  // namespace tanuki
