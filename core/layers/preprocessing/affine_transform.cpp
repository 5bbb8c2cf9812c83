#include "layers/preprocessing/affine_transform.h"

#include <algorithm>
#include <cmath>

namespace tanuki {

namespace {
const char* fillModeName(FillMode m) {
  switch (m) {
    case FillMode::Reflect: return "reflect";
    case FillMode::Wrap: return "wrap";
    case FillMode::Nearest: return "nearest";
    case FillMode::Constant: return "constant";
  }
  return "reflect";
}

// Brings a coordinate inside [0, size - 1] as the fill mode says (constant
// keeps it, so that samples outside can take the fill value).
float mapCoordinate(float x, int64_t size, FillMode mode) {
  const float n = static_cast<float>(size);
  const float last = n - 1;
  switch (mode) {
    case FillMode::Reflect: {  // period 2n, mirrored about the outer edges of the border pixels
      float t = std::fmod(x, 2 * n);
      if (t < 0) t += 2 * n;
      if (t > last) t = 2 * n - 1 - t;
      return std::clamp(t, 0.0f, last);
    }
    case FillMode::Wrap: {
      float t = std::fmod(x, n);
      if (t < 0) t += n;
      return std::clamp(t, 0.0f, last);
    }
    case FillMode::Nearest: return std::clamp(x, 0.0f, last);
    case FillMode::Constant: return x;
  }
  return x;
}
}  // namespace

TransformOptions TransformOptions::read(const ConfigReader& config) {
  TransformOptions o;
  const std::string fill = config.getString("fill_mode", "reflect");
  config.requireOneOf("fill_mode", fill, {"reflect", "wrap", "nearest", "constant"});
  o.fillMode = fill == "wrap"       ? FillMode::Wrap
               : fill == "nearest"  ? FillMode::Nearest
               : fill == "constant" ? FillMode::Constant
                                    : FillMode::Reflect;
  const std::string interp = config.getString("interpolation", "bilinear");
  config.requireOneOf("interpolation", interp, {"bilinear", "nearest"});
  o.interpolation = interp == "nearest" ? Interpolation::Nearest : Interpolation::Bilinear;
  o.fillValue = static_cast<float>(config.getDouble("fill_value", 0.0));
  return o;
}

void TransformOptions::writeConfig(Json& config) const {
  config["fill_mode"] = fillModeName(fillMode);
  config["interpolation"] = interpolation == Interpolation::Nearest ? "nearest" : "bilinear";
  config["fill_value"] = fillValue;
}

void affineTransform(const float* in, float* out, int64_t height, int64_t width, int64_t channels, const AffineMap& map,
                     const TransformOptions& options) {
  const bool constant = options.fillMode == FillMode::Constant;
  // One source pixel, or the fill value when it lies outside (constant mode only).
  auto pixel = [&](int64_t px, int64_t py) -> const float* {
    if (px < 0 || py < 0 || px >= width || py >= height) return nullptr;
    return in + (py * width + px) * channels;
  };
  for (int64_t y = 0; y < height; ++y) {
    for (int64_t x = 0; x < width; ++x) {
      float* dst = out + (y * width + x) * channels;
      const float fx = static_cast<float>(x), fy = static_cast<float>(y);
      const float sx = mapCoordinate(map[0] * fx + map[1] * fy + map[2], width, options.fillMode);
      const float sy = mapCoordinate(map[3] * fx + map[4] * fy + map[5], height, options.fillMode);
      if (options.interpolation == Interpolation::Nearest) {
        const float* p = pixel(static_cast<int64_t>(std::lround(sx)), static_cast<int64_t>(std::lround(sy)));
        for (int64_t c = 0; c < channels; ++c) dst[c] = p ? p[c] : options.fillValue;
        continue;
      }
      const float x0f = std::floor(sx), y0f = std::floor(sy);
      const float ax = sx - x0f, ay = sy - y0f;
      const int64_t x0 = static_cast<int64_t>(x0f), y0 = static_cast<int64_t>(y0f);
      // Neighbours past the last pixel repeat it, except in constant mode.
      const int64_t x1 = constant ? x0 + 1 : std::min(x0 + 1, width - 1);
      const int64_t y1 = constant ? y0 + 1 : std::min(y0 + 1, height - 1);
      const float* p00 = pixel(x0, y0);
      const float* p01 = pixel(x1, y0);
      const float* p10 = pixel(x0, y1);
      const float* p11 = pixel(x1, y1);
      const float k = options.fillValue;
      for (int64_t c = 0; c < channels; ++c) {
        const float v00 = p00 ? p00[c] : k, v01 = p01 ? p01[c] : k, v10 = p10 ? p10[c] : k, v11 = p11 ? p11[c] : k;
        dst[c] = (1 - ay) * ((1 - ax) * v00 + ax * v01) + ay * ((1 - ax) * v10 + ax * v11);
      }
    }
  }
}

}  // namespace tanuki
