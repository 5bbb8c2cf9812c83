#include "image/resize.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace tanuki {

namespace {
// Output pixel i of an axis = Σ_k weights[k] * source[first + k].
struct Taps {
  int64_t first = 0;
  std::vector<double> weights;
};

std::vector<Taps> axisTaps(int64_t inSize, int64_t outSize) {
  std::vector<Taps> taps(static_cast<size_t>(outSize));
  const double ratio = static_cast<double>(inSize) / static_cast<double>(outSize);
  for (int64_t o = 0; o < outSize; ++o) {
    Taps& t = taps[static_cast<size_t>(o)];
    if (outSize < inSize) {  // area: the source interval [lo, hi) this pixel covers
      const double lo = o * ratio, hi = (o + 1) * ratio;
      t.first = static_cast<int64_t>(std::floor(lo));
      const int64_t end = std::min<int64_t>(static_cast<int64_t>(std::ceil(hi)), inSize);
      for (int64_t i = t.first; i < end; ++i) {
        const double overlap = std::min<double>(hi, i + 1) - std::max<double>(lo, i);
        t.weights.push_back(overlap / ratio);
      }
    } else {  // bilinear between the two nearest source centres
      const double src = std::clamp((o + 0.5) * ratio - 0.5, 0.0, static_cast<double>(inSize - 1));
      t.first = static_cast<int64_t>(std::floor(src));
      const double frac = src - static_cast<double>(t.first);
      if (frac > 0 && t.first + 1 < inSize) {
        t.weights = {1 - frac, frac};
      } else {
        t.weights = {1};
      }
    }
  }
  return taps;
}
}  // namespace

void resizeImage(const Image& image, const CropBox& box, int64_t outHeight, int64_t outWidth, float* out) {
  const auto xTaps = axisTaps(box.width, outWidth);
  const auto yTaps = axisTaps(box.height, outHeight);
  // Horizontal pass over the rows of the box, then vertical into `out`; in
  // double, so that weights summing to 1 keep a flat colour exactly flat.
  std::vector<double> rows(static_cast<size_t>(box.height * outWidth * 3));
  for (int64_t y = 0; y < box.height; ++y) {
    const uint8_t* src = image.pixels.data() + ((box.top + y) * image.width + box.left) * 3;
    double* dst = rows.data() + y * outWidth * 3;
    for (int64_t x = 0; x < outWidth; ++x) {
      const Taps& t = xTaps[static_cast<size_t>(x)];
      double r = 0, g = 0, b = 0;
      for (size_t k = 0; k < t.weights.size(); ++k) {
        const uint8_t* p = src + (t.first + static_cast<int64_t>(k)) * 3;
        r += t.weights[k] * p[0];
        g += t.weights[k] * p[1];
        b += t.weights[k] * p[2];
      }
      dst[x * 3] = r;
      dst[x * 3 + 1] = g;
      dst[x * 3 + 2] = b;
    }
  }
  const int64_t rowSize = outWidth * 3;
  std::vector<double> sum(static_cast<size_t>(rowSize));
  for (int64_t y = 0; y < outHeight; ++y) {
    const Taps& t = yTaps[static_cast<size_t>(y)];
    std::fill(sum.begin(), sum.end(), 0.0);
    for (size_t k = 0; k < t.weights.size(); ++k) {
      const double w = t.weights[k];
      const double* src = rows.data() + (t.first + static_cast<int64_t>(k)) * rowSize;
      for (int64_t i = 0; i < rowSize; ++i) sum[static_cast<size_t>(i)] += w * src[i];
    }
    float* dst = out + y * rowSize;
    for (int64_t i = 0; i < rowSize; ++i) dst[i] = static_cast<float>(sum[static_cast<size_t>(i)]);
  }
}

}  // namespace tanuki
