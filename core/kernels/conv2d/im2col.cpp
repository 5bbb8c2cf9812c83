#include "kernels/conv2d/im2col.h"

#include <algorithm>

#include "kernels/common/vector_loops.h"

namespace tanuki::kernels {

namespace {
// n floats from src to dst. The runs of im2col are short (a 3-channel
// stem's window row is 9 floats), and a call to memcpy (WebAssembly without
// bulk memory has no inline copy) costs more than such a run: a plain loop,
// which the compiler vectorizes where it stands (without __restrict it does
// not turn the loop into a memcpy call).
inline void copyFloats(const float* src, int64_t n, float* dst) {
  for (int64_t i = 0; i < n; ++i) dst[i] = src[i];
}
}  // namespace

void im2col(const float* x, const Conv2DGeometry& g, float* cols) {
  const int64_t C = g.channels;
  const int64_t rowLen = g.kH * g.kW * C, run = g.kW * C;
  for (int64_t oy = 0; oy < g.outH; ++oy) {
    for (int64_t ox = 0; ox < g.outW; ++ox) {
      float* row = cols + (oy * g.outW + ox) * rowLen;
      const int64_t ix0 = ox * g.strideW - g.padLeft;
      for (int64_t ky = 0; ky < g.kH; ++ky) {
        const int64_t iy = oy * g.strideH - g.padTop + ky;
        float* dst = row + ky * run;
        if (iy < 0 || iy >= g.inH) {
          std::fill(dst, dst + run, 0.0f);
          continue;
        }
        if (ix0 >= 0 && ix0 + g.kW <= g.inW) {  // the window's row lies inside: kW * C contiguous floats
          copyFloats(x + (iy * g.inW + ix0) * C, run, dst);
          continue;
        }
        for (int64_t kx = 0; kx < g.kW; ++kx) {
          const int64_t ix = ix0 + kx;
          if (ix < 0 || ix >= g.inW) {
            std::fill(dst + kx * C, dst + (kx + 1) * C, 0.0f);
          } else {
            copyFloats(x + (iy * g.inW + ix) * C, C, dst + kx * C);
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
