#include "layers/preprocessing/random_zoom.h"

#include "layers/layer_registration.h"

namespace tanuki {

RandomZoom::RandomZoom(const ConfigReader& config)
    : AugmentationLayer(config, "random_zoom"),
      height_(FactorRange::read(config, "height_factor", FactorRange::Single::PlusMinus, -1, 1,
                                "RandomZoom '" + name() + "'")),
      transform_(TransformOptions::read(config)) {
  if (config.has("width_factor"))
    width_ =
        FactorRange::read(config, "width_factor", FactorRange::Single::PlusMinus, -1, 1, "RandomZoom '" + name() + "'");
}

void RandomZoom::augmentImage(const float* in, float* out, int64_t height, int64_t width, int64_t channels,
                              std::mt19937_64& rng) {
  // A zoom of 1.2 samples a 20% larger area: the content looks smaller.
  const float zy = 1 + uniform(rng, height_.lower, height_.upper);
  const float zx = width_ ? 1 + uniform(rng, width_->lower, width_->upper) : zy;
  const float cx = static_cast<float>(width - 1) / 2, cy = static_cast<float>(height - 1) / 2;
  const AffineMap map{zx, 0, cx * (1 - zx), 0, zy, cy * (1 - zy)};
  affineTransform(in, out, height, width, channels, map, transform_);
}

Json RandomZoom::getConfig() const {
  Json c = AugmentationLayer::getConfig();
  c["height_factor"] = height_.written;
  c["width_factor"] = width_ ? width_->written : Json(nullptr);
  transform_.writeConfig(c);
  return c;
}

template <>
LayerRegistration registration<RandomZoom>() {
  return {
      "RandomZoom", createAs<RandomZoom>, {LayerExample{{{"height_factor", 0.2}, {"seed", 1}}, {{2, 4, 4, 3}}, false}}};
}

}  // namespace tanuki
