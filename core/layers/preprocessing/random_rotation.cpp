#include "layers/preprocessing/random_rotation.h"

#include <cmath>
#include <numbers>

#include "layers/layer_registration.h"

namespace tanuki {

RandomRotation::RandomRotation(const ConfigReader& config)
    : AugmentationLayer(config, "random_rotation"),
      factor_(FactorRange::read(config, "factor", FactorRange::Single::PlusMinus, -1, 1,
                                "RandomRotation '" + name() + "'")),
      transform_(TransformOptions::read(config)) {}

void RandomRotation::augmentImage(const float* in, float* out, int64_t height, int64_t width, int64_t channels,
                                  std::mt19937_64& rng) {
  const float angle = uniform(rng, factor_.lower, factor_.upper) * 2 * std::numbers::pi_v<float>;
  const float c = std::cos(angle), s = std::sin(angle);
  const float w = static_cast<float>(width - 1), h = static_cast<float>(height - 1);
  // Keras's rotation matrix: turns about the image centre.
  const AffineMap map{c, -s, (w - (c * w - s * h)) / 2, s, c, (h - (s * w + c * h)) / 2};
  affineTransform(in, out, height, width, channels, map, transform_);
}

Json RandomRotation::getConfig() const {
  Json c = AugmentationLayer::getConfig();
  c["factor"] = factor_.written;
  transform_.writeConfig(c);
  return c;
}

template <>
LayerRegistration registration<RandomRotation>() {
  return {"RandomRotation",
          createAs<RandomRotation>,
          {LayerExample{{{"factor", 0.1}, {"seed", 1}}, {{2, 4, 4, 3}}, false}}};
}

}  // namespace tanuki
