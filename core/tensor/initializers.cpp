#include "tensor/initializers.h"

#include <cmath>
#include <string>
#include <vector>

#include "util/errors.h"
#include "util/random.h"
#include "util/strings.h"

namespace tanuki {

namespace {
void fans(const Shape& shape, double& fanIn, double& fanOut) {
  if (shape.empty()) {
    fanIn = fanOut = 1;
  } else if (shape.size() == 1) {
    fanIn = fanOut = static_cast<double>(shape[0]);
  } else {
    double receptive = 1;
    for (size_t i = 0; i + 2 < shape.size(); ++i) receptive *= static_cast<double>(shape[i]);
    fanIn = static_cast<double>(shape[shape.size() - 2]) * receptive;
    fanOut = static_cast<double>(shape.back()) * receptive;
  }
}
}  // namespace

Tensor initialize(const std::string& initializer, const Shape& shape) {
  Tensor t(shape);
  auto& rng = Random::global();
  double fanIn, fanOut;
  fans(shape, fanIn, fanOut);
  auto fillUniform = [&](double limit) {
    for (int64_t i = 0; i < t.size(); ++i) t[i] = rng.uniform(static_cast<float>(-limit), static_cast<float>(limit));
  };
  if (initializer.rfind("variance_scaling:", 0) == 0 || initializer.rfind("constant:", 0) == 0) {
    const auto p = split(initializer, ':');
    if (p[0] == "constant") return Tensor(shape, std::stof(p[1]));
    // Keras VarianceScaling: variance = scale / fan, fan by mode.
    const double fan = p[2] == "fan_in" ? fanIn : p[2] == "fan_out" ? fanOut : (fanIn + fanOut) / 2;
    const double variance = std::stod(p[1]) / std::max(1.0, fan);
    if (p[3] == "uniform") {
      fillUniform(std::sqrt(3.0 * variance));
    } else {
      const float sd =
          static_cast<float>(std::sqrt(variance) / (p[3] == "untruncated_normal" ? 1.0 : 0.87962566103423978));
      for (int64_t i = 0; i < t.size(); ++i) {
        float v;
        do v = rng.normal(0.0f, sd);
        while (p[3] != "untruncated_normal" && std::fabs(v) > 2 * sd);
        t[i] = v;
      }
    }
    return t;
  }
  if (initializer == "zeros") return t;
  if (initializer == "ones") return Tensor(shape, 1.0f);
  if (initializer == "glorot_uniform") {
    fillUniform(std::sqrt(6.0 / std::max(1.0, fanIn + fanOut)));
  } else if (initializer == "he_uniform") {
    fillUniform(std::sqrt(6.0 / std::max(1.0, fanIn)));
  } else if (initializer == "lecun_uniform") {
    fillUniform(std::sqrt(3.0 / std::max(1.0, fanIn)));
  } else if (initializer == "random_uniform") {
    fillUniform(0.05);
  } else if (initializer == "glorot_normal" || initializer == "he_normal" || initializer == "random_normal" ||
             initializer == "truncated_normal") {
    // Keras draws from a truncated normal for glorot/he; resampling beyond 2 sd matches it.
    const double scale = initializer == "glorot_normal" ? 2.0 / std::max(1.0, fanIn + fanOut)
                         : initializer == "he_normal"   ? 2.0 / std::max(1.0, fanIn)
                                                        : 0.0025;
    const bool plain = initializer == "random_normal" || initializer == "truncated_normal";
    const float sd = static_cast<float>(plain ? 0.05 : std::sqrt(scale) / 0.87962566103423978);
    for (int64_t i = 0; i < t.size(); ++i) {
      float v;
      do v = rng.normal(0.0f, sd);
      while (initializer != "random_normal" && std::fabs(v) > 2 * sd);
      t[i] = v;
    }
  } else {
    fail<ValueError>("unknown initializer '", initializer,
                     "' (known: zeros, ones, glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform, "
                     "random_uniform, random_normal)");
  }
  return t;
}

}  // namespace tanuki
