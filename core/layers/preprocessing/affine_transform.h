// Geometric image transforms for RandomRotation, RandomZoom and
// RandomTranslation, with Keras's options: each output pixel (x, y) samples
// the input at (a0*x + a1*y + a2, b0*x + b1*y + b2), and positions outside
// the image are filled as fill_mode says:
//   reflect  (d c b a | a b c d | d c b a)   Keras's default
//   wrap     (a b c d | a b c d | a b c d)
//   nearest  (a a a a | a b c d | d d d d)
//   constant (k k k k | a b c d | k k k k)   k = fill_value
#pragma once

#include <array>
#include <cstdint>

#include "layers/config/config_reader.h"

namespace tanuki {

enum class FillMode { Reflect, Wrap, Nearest, Constant };
enum class Interpolation { Bilinear, Nearest };

struct TransformOptions {
  FillMode fillMode = FillMode::Reflect;
  Interpolation interpolation = Interpolation::Bilinear;
  float fillValue = 0.0f;

  // fill_mode, interpolation and fill_value from a layer config.
  static TransformOptions read(const ConfigReader& config);
  void writeConfig(Json& config) const;
};

// {a0, a1, a2, b0, b1, b2}: output pixel -> input position.
using AffineMap = std::array<float, 6>;

void affineTransform(const float* in, float* out, int64_t height, int64_t width, int64_t channels, const AffineMap& map,
                     const TransformOptions& options);

}  // namespace tanuki
