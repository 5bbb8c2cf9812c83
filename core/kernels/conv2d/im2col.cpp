#include "kernels/conv2d/im2col.h"

#include <algorithm>

#include "kernels/common/vector_loops.h"

namespace tanuki::kernels {

void im2col(const float* x, const Conv2DGeometry& g, float* cols) {
  const int64_t C = g.channels;
  const int64_t rowLen = g.kH * g.kW * C;
  for (int64_t oy = 0; oy < g.outH; ++oy) {
    for (int64_t ox = 0; ox < g.outW; ++ox) {
      float* row = cols + (oy * g.outW + ox) * rowLen;
      for (int64_t ky = 0; ky < g.kH; ++ky) {
        const int64_t iy = oy * g.strideH - g.padTop + ky;
        for (int64_t kx = 0; kx < g.kW; ++kx) {
          const int64_t ix = ox * g.strideW - g.padLeft + kx;
          float* dst = row + (ky * g.kW + kx) * C;
          if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) {
            std::fill(dst, dst + C, 0.0f);
          } else {
            const float* src = x + (iy * g.inW + ix) * C;
            std::copy(src, src + C, dst);
          }
        }
      }
    }
  }
}

void col2im(const float* dcols, const Conv2DGeometry& g, float* dx) {
  const int64_t C = g.channels;
  const int64_t rowLen = g.kH * g.kW * C;
  for (int64_t oy = 0; oy < g.outH; ++oy) {
    for (int64_t ox = 0; ox < g.outW; ++ox) {
      const float* row = dcols + (oy * g.outW + ox) * rowLen;
      for (int64_t ky = 0; ky < g.kH; ++ky) {
        const int64_t iy = oy * g.strideH - g.padTop + ky;
        if (iy < 0 || iy >= g.inH) continue;
        for (int64_t kx = 0; kx < g.kW; ++kx) {
          const int64_t ix = ox * g.strideW - g.padLeft + kx;
          if (ix < 0 || ix >= g.inW) continue;
          const float* src = row + (ky * g.kW + kx) * C;
          float* dst = dx + (iy * g.inW + ix) * C;
          scaleAdd(dst, src, 1.0f, C);
        }
      }
    }
  }
}

}  // namespace tanuki::kernels
