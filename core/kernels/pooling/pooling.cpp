#include "kernels/pooling/pooling.h"

#include <algorithm>

#include "kernels/common/vector_loops.h"
#include "kernels/pooling/variants.h"

namespace tanuki::kernels {

namespace {
// The part of an output pixel's window that lies inside the image.
struct Window {
  int64_t y0, y1, x0, x1;  // [y0, y1) x [x0, x1), never empty with TF geometry
  int64_t count() const { return (y1 - y0) * (x1 - x0); }
};

Window windowAt(const Conv2DGeometry& g, int64_t oy, int64_t ox) {
  const int64_t y = oy * g.strideH - g.padTop, x = ox * g.strideW - g.padLeft;
  return {std::max<int64_t>(y, 0), std::min(y + g.kH, g.inH), std::max<int64_t>(x, 0), std::min(x + g.kW, g.inW)};
}

// Calls visit(n, outputOffset, window) for every output pixel; the offset is
// in floats from the start of y ([.., C]).
template <class Visit>
void forEachWindow(const Conv2DGeometry& g, Visit visit) {
  for (int64_t n = 0; n < g.batch; ++n)
    for (int64_t oy = 0; oy < g.outH; ++oy)
      for (int64_t ox = 0; ox < g.outW; ++ox)
        visit(n, ((n * g.outH + oy) * g.outW + ox) * g.channels, windowAt(g, oy, ox));
}
}  // namespace

void maxPool2d(const float* x, const Conv2DGeometry& g, float* y, int32_t* argmax) {
  const int64_t C = g.channels, image = g.inH * g.inW * C;
  forEachWindow(g, [&](int64_t n, int64_t out, const Window& w) {
    const float* xn = x + n * image;
    float* yp = y + out;
    int32_t* ap = argmax ? argmax + out : nullptr;
    // Start from the window's first pixel (not -inf), so every output has a
    // valid argmax even when the input holds NaNs.
    const int64_t first = (w.y0 * g.inW + w.x0) * C;
    std::copy(xn + first, xn + first + C, yp);
    if (!argmax) {
      // The same comparison as below, as a select the compiler vectorizes.
      for (int64_t iy = w.y0; iy < w.y1; ++iy)
        for (int64_t ix = w.x0; ix < w.x1; ++ix) {
          const float* xp = xn + (iy * g.inW + ix) * C;
          for (int64_t c = 0; c < C; ++c) yp[c] = xp[c] > yp[c] ? xp[c] : yp[c];
        }
      return;
    }
    for (int64_t c = 0; c < C; ++c) ap[c] = static_cast<int32_t>(first + c);
    for (int64_t iy = w.y0; iy < w.y1; ++iy)
      for (int64_t ix = w.x0; ix < w.x1; ++ix) {
        const int64_t at = (iy * g.inW + ix) * C;
        for (int64_t c = 0; c < C; ++c)
          if (xn[at + c] > yp[c]) {
            yp[c] = xn[at + c];
            ap[c] = static_cast<int32_t>(at + c);
          }
      }
  });
}

void maxPool2dBackward(const float* dy, const int32_t* argmax, const Conv2DGeometry& g, float* dx) {
  const int64_t image = g.inH * g.inW * g.channels, outImage = g.outH * g.outW * g.channels;
  std::fill(dx, dx + g.batch * image, 0.0f);
  for (int64_t n = 0; n < g.batch; ++n)
    for (int64_t i = 0; i < outImage; ++i) dx[n * image + argmax[n * outImage + i]] += dy[n * outImage + i];
}

void avgPool2d(const float* x, const Conv2DGeometry& g, float* y) {
  const int64_t C = g.channels, image = g.inH * g.inW * C;
  forEachWindow(g, [&](int64_t n, int64_t out, const Window& w) {
    const float* xn = x + n * image;
    float* yp = y + out;
    std::fill(yp, yp + C, 0.0f);
    for (int64_t iy = w.y0; iy < w.y1; ++iy)
      for (int64_t ix = w.x0; ix < w.x1; ++ix) scaleAdd(yp, xn + (iy * g.inW + ix) * C, 1.0f, C);
    const float scale = 1.0f / static_cast<float>(w.count());
    for (int64_t c = 0; c < C; ++c) yp[c] *= scale;
  });
}

void avgPool2dBackward(const float* dy, const Conv2DGeometry& g, float* dx) {
  const int64_t C = g.channels, image = g.inH * g.inW * C;
  std::fill(dx, dx + g.batch * image, 0.0f);
  forEachWindow(g, [&](int64_t n, int64_t out, const Window& w) {
    float* dxn = dx + n * image;
    const float* dyp = dy + out;
    const float scale = 1.0f / static_cast<float>(w.count());
    for (int64_t iy = w.y0; iy < w.y1; ++iy)
      for (int64_t ix = w.x0; ix < w.x1; ++ix) scaleAdd(dxn + (iy * g.inW + ix) * C, dyp, scale, C);
  });
}

namespace {
constexpr Variant<PoolingOps> kVariants[] = {
    {"pooling_f32_scalar", {maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward}},
};
}  // namespace

Variants<PoolingOps> poolingVariants() { return kVariants; }

}  // namespace tanuki::kernels
