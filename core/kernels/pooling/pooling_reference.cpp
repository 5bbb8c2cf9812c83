#include "kernels/pooling/pooling_reference.h"

#include <vector>

#include "kernels/common/reference_loops.h"

namespace tanuki::kernels {

namespace {
// How many of each output pixel's taps lie inside the image.
std::vector<int64_t> windowSizes(const Conv2DGeometry& g) {
  std::vector<int64_t> sizes(static_cast<size_t>(g.batch * g.outH * g.outW), 0);
  forEachWindowTap(g, [&](int64_t out, int64_t, int64_t) { ++sizes[out]; });
  return sizes;
}
}  // namespace

void maxPool2dReference(const float* x, const Conv2DGeometry& g, float* y, int32_t* argmax) {
  const int64_t C = g.channels, pixels = g.inH * g.inW;
  std::vector<int64_t> seen(static_cast<size_t>(g.batch * g.outH * g.outW), 0);
  forEachWindowTap(g, [&](int64_t out, int64_t in, int64_t) {
    const int64_t image = in / pixels * pixels * C;  // the offset of in's image
    for (int64_t c = 0; c < C; ++c)
      if (seen[out] == 0 || x[in * C + c] > y[out * C + c]) {
        y[out * C + c] = x[in * C + c];
        argmax[out * C + c] = static_cast<int32_t>(in * C + c - image);
      }
    ++seen[out];
  });
}

void maxPool2dBackwardReference(const float* x, const float* dy, const Conv2DGeometry& g, float* dx) {
  const int64_t outSize = g.batch * g.outH * g.outW * g.channels, image = g.inH * g.inW * g.channels;
  const int64_t outImage = g.outH * g.outW * g.channels;
  std::vector<float> y(static_cast<size_t>(outSize));
  std::vector<int32_t> argmax(static_cast<size_t>(outSize));
  maxPool2dReference(x, g, y.data(), argmax.data());
  std::vector<double> sums(static_cast<size_t>(g.batch * image), 0.0);
  for (int64_t i = 0; i < outSize; ++i) sums[i / outImage * image + argmax[i]] += dy[i];
  storeSums(sums, dx);
}

void avgPool2dReference(const float* x, const Conv2DGeometry& g, float* y) {
  const int64_t C = g.channels;
  const std::vector<int64_t> sizes = windowSizes(g);
  std::vector<double> sums(static_cast<size_t>(g.batch * g.outH * g.outW * C), 0.0);
  forEachWindowTap(g, [&](int64_t out, int64_t in, int64_t) {
    for (int64_t c = 0; c < C; ++c) sums[out * C + c] += x[in * C + c];
  });
  for (size_t i = 0; i < sums.size(); ++i) sums[i] /= static_cast<double>(sizes[i / C]);
  storeSums(sums, y);
}

void avgPool2dBackwardReference(const float* dy, const Conv2DGeometry& g, float* dx) {
  const int64_t C = g.channels;
  const std::vector<int64_t> sizes = windowSizes(g);
  std::vector<double> sums(static_cast<size_t>(g.batch * g.inH * g.inW * C), 0.0);
  forEachWindowTap(g, [&](int64_t out, int64_t in, int64_t) {
    for (int64_t c = 0; c < C; ++c) sums[in * C + c] += dy[out * C + c] / static_cast<double>(sizes[out]);
  });
  storeSums(sums, dx);
}

}  // namespace tanuki::kernels
