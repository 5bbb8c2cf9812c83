#include "layers/preprocessing/random_contrast.h"

#include <algorithm>
#include <vector>

#include "layers/layer_registration.h"
#include "util/errors.h"

namespace tanuki {

RandomContrast::RandomContrast(const ConfigReader& config)
    : AugmentationLayer(config, "random_contrast"),
      factor_(
          FactorRange::read(config, "factor", FactorRange::Single::Same, 0, 1e9, "RandomContrast '" + name() + "'")) {
  if (factor_.lower > 1) configError("the lower factor must be at most 1 (a contrast factor below 0 is meaningless)");
  if (config.has("value_range")) {
    const Json& r = config.raw()["value_range"];
    if (!r.is_array() || r.size() != 2 || !r[0].is_number() || !r[1].is_number() ||
        r[0].get<double>() >= r[1].get<double>())
      configError("value_range must be [low, high] with low < high, got " + r.dump());
    low_ = r[0].get<float>();
    high_ = r[1].get<float>();
  }
}

void RandomContrast::augmentImage(const float* in, float* out, int64_t height, int64_t width, int64_t channels,
                                  std::mt19937_64& rng) {
  const float factor = uniform(rng, 1 - factor_.lower, 1 + factor_.upper);
  const int64_t pixels = height * width;
  std::vector<double> mean(static_cast<size_t>(channels), 0.0);
  for (int64_t p = 0; p < pixels; ++p)
    for (int64_t c = 0; c < channels; ++c) mean[static_cast<size_t>(c)] += in[p * channels + c];
  for (double& m : mean) m /= static_cast<double>(pixels);
  for (int64_t p = 0; p < pixels; ++p) {
    for (int64_t c = 0; c < channels; ++c) {
      const float m = static_cast<float>(mean[static_cast<size_t>(c)]);
      out[p * channels + c] = std::clamp((in[p * channels + c] - m) * factor + m, low_, high_);
    }
  }
}

Json RandomContrast::getConfig() const {
  Json c = AugmentationLayer::getConfig();
  c["factor"] = factor_.written;
  c["value_range"] = {low_, high_};
  return c;
}

template <>
LayerRegistration registration<RandomContrast>() {
  return {"RandomContrast",
          createAs<RandomContrast>,
          {LayerExample{{{"factor", 0.5}, {"seed", 1}}, {{2, 4, 4, 3}}, false}}};
}

}  // namespace tanuki
