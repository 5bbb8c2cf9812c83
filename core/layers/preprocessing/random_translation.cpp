#include "layers/preprocessing/random_translation.h"

#include "layers/layer_registration.h"

namespace tanuki {

RandomTranslation::RandomTranslation(const ConfigReader& config)
    : AugmentationLayer(config, "random_translation"),
      height_(FactorRange::read(config, "height_factor", FactorRange::Single::PlusMinus, -1, 1,
                                "RandomTranslation '" + name() + "'")),
      width_(FactorRange::read(config, "width_factor", FactorRange::Single::PlusMinus, -1, 1,
                               "RandomTranslation '" + name() + "'")),
      transform_(TransformOptions::read(config)) {}

void RandomTranslation::augmentImage(const float* in, float* out, int64_t height, int64_t width, int64_t channels,
                                     std::mt19937_64& rng) {
  const float dy = uniform(rng, height_.lower, height_.upper) * static_cast<float>(height);
  const float dx = uniform(rng, width_.lower, width_.upper) * static_cast<float>(width);
  const AffineMap map{1, 0, -dx, 0, 1, -dy};
  affineTransform(in, out, height, width, channels, map, transform_);
}

Json RandomTranslation::getConfig() const {
  Json c = AugmentationLayer::getConfig();
  c["height_factor"] = height_.written;
  c["width_factor"] = width_.written;
  transform_.writeConfig(c);
  return c;
}

template <>
LayerRegistration registration<RandomTranslation>() {
  return {"RandomTranslation",
          createAs<RandomTranslation>,
          {LayerExample{{{"height_factor", 0.1}, {"width_factor", 0.1}, {"seed", 1}}, {{2, 4, 4, 3}}, false}}};
}

}  // namespace tanuki
