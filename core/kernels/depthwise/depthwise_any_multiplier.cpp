#include "kernels/depthwise/depthwise_any_multiplier.h"

#include <algorithm>

namespace tanuki::kernels {

namespace {
// Calls visit(inputPixel, outputPixel, tap) for every (output pixel, kernel
// tap) pair whose input pixel lies inside the image; offsets are in floats
// from the start of x ([.., C]), y ([.., C * M]) and the kernel ([.., C * M]).
template <class Visit>
void forEachTap(const Conv2DGeometry& g, int64_t multiplier, Visit visit) {
  const int64_t C = g.channels, outC = C * multiplier;
  for (int64_t n = 0; n < g.batch; ++n)
    for (int64_t oy = 0; oy < g.outH; ++oy)
      for (int64_t ox = 0; ox < g.outW; ++ox) {
        const int64_t out = ((n * g.outH + oy) * g.outW + ox) * outC;
        for (int64_t ky = 0; ky < g.kH; ++ky) {
          const int64_t iy = oy * g.strideH - g.padTop + ky;
          if (iy < 0 || iy >= g.inH) continue;
          for (int64_t kx = 0; kx < g.kW; ++kx) {
            const int64_t ix = ox * g.strideW - g.padLeft + kx;
            if (ix < 0 || ix >= g.inW) continue;
            visit(((n * g.inH + iy) * g.inW + ix) * C, out, (ky * g.kW + kx) * outC);
          }
        }
      }
}
}  // namespace

void depthwiseConv2dAnyMultiplier(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t multiplier,
                                  float* y, const Epilogue& epilogue) {
  const int64_t C = g.channels, M = multiplier, outC = C * M, total = g.batch * g.outH * g.outW * outC;
  std::fill(y, y + total, 0.0f);
  forEachTap(g, M, [&](int64_t in, int64_t out, int64_t tap) {
    for (int64_t c = 0; c < C; ++c)
      for (int64_t m = 0; m < M; ++m) y[out + c * M + m] += x[in + c] * kernel[tap + c * M + m];
  });
  for (int64_t i = 0; i < total; ++i)
    y[i] = std::min(std::max(y[i] + (epilogue.bias ? epilogue.bias[i % outC] : 0.0f), epilogue.lo), epilogue.hi);
}

void depthwiseConv2dBackwardInputAnyMultiplier(const float* dy, const float* kernel, const Conv2DGeometry& g,
                                               int64_t multiplier, float* dx) {
  const int64_t C = g.channels, M = multiplier;
  std::fill(dx, dx + g.batch * g.inH * g.inW * C, 0.0f);
  forEachTap(g, M, [&](int64_t in, int64_t out, int64_t tap) {
    for (int64_t c = 0; c < C; ++c)
      for (int64_t m = 0; m < M; ++m) dx[in + c] += dy[out + c * M + m] * kernel[tap + c * M + m];
  });
}

void depthwiseConv2dBackwardFilterAnyMultiplier(const float* x, const float* dy, const Conv2DGeometry& g,
                                                int64_t multiplier, float* dkernel) {
  const int64_t C = g.channels, M = multiplier;
  std::fill(dkernel, dkernel + g.kH * g.kW * C * M, 0.0f);
  forEachTap(g, M, [&](int64_t in, int64_t out, int64_t tap) {
    for (int64_t c = 0; c < C; ++c)
      for (int64_t m = 0; m < M; ++m) dkernel[tap + c * M + m] += x[in + c] * dy[out + c * M + m];
  });
}

}  // namespace tanuki::kernels
