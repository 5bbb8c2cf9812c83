#include "kernels/depthwise_3x3.h"

#include <vector>

#include "kernels/f32x4.h"
#include "util/thread_pool.h"

namespace tanuki::kernels {

namespace {
// One output row, channels [c, c + 4): rows[ky] is the input row under
// kernel row ky (a row of zeros in the padding), already offset by c.
template <int Stride>
void rowBlock(const float* const rows[3], const F32x4 w[9], F32x4 bias, F32x4 lo, F32x4 hi, const Conv2DGeometry& g,
              float* y) {
  const int64_t C = g.channels, inW = g.inW, outW = g.outW, padLeft = g.padLeft;
  // Output columns whose three taps all lie inside the row.
  int64_t first = (padLeft + Stride - 1) / Stride;
  int64_t last = inW - 3 + padLeft < 0 ? 0 : (inW - 3 + padLeft) / Stride + 1;
  if (last > outW) last = outW;
  if (first > last) first = last;
  auto edge = [&](int64_t ox) {
    F32x4 acc = bias;
    for (int ky = 0; ky < 3; ++ky)
      for (int kx = 0; kx < 3; ++kx) {
        const int64_t ix = ox * Stride - padLeft + kx;
        if (ix >= 0 && ix < inW) acc = mulAdd4(acc, load4(rows[ky] + ix * C), w[ky * 3 + kx]);
      }
    store4(y + ox * C, clamp4(acc, lo, hi));
  };
  for (int64_t ox = 0; ox < first; ++ox) edge(ox);
  const float* p0 = rows[0] + (first * Stride - padLeft) * C;
  const float* p1 = rows[1] + (first * Stride - padLeft) * C;
  const float* p2 = rows[2] + (first * Stride - padLeft) * C;
  for (int64_t ox = first; ox < last; ++ox, p0 += Stride * C, p1 += Stride * C, p2 += Stride * C) {
    // One partial sum per kernel row: three short dependency chains.
    F32x4 a0 = mulAdd4(bias, load4(p0), w[0]);
    F32x4 a1 = mulAdd4(splat4(0.0f), load4(p1), w[3]);
    F32x4 a2 = mulAdd4(splat4(0.0f), load4(p2), w[6]);
    a0 = mulAdd4(a0, load4(p0 + C), w[1]);
    a1 = mulAdd4(a1, load4(p1 + C), w[4]);
    a2 = mulAdd4(a2, load4(p2 + C), w[7]);
    a0 = mulAdd4(a0, load4(p0 + 2 * C), w[2]);
    a1 = mulAdd4(a1, load4(p1 + 2 * C), w[5]);
    a2 = mulAdd4(a2, load4(p2 + 2 * C), w[8]);
    store4(y + ox * C, clamp4(add4(add4(a0, a1), a2), lo, hi));
  }
  for (int64_t ox = last; ox < outW; ++ox) edge(ox);
}

template <int Stride>
void run(const float* x, const float* kernel, const Conv2DGeometry& g, float* y, const Epilogue& epilogue) {
  const int64_t C = g.channels;
  const std::vector<float> zeros(static_cast<size_t>(g.inW * C), 0.0f);
  const F32x4 lo = splat4(epilogue.lo), hi = splat4(epilogue.hi);
  parallelFor(g.batch * g.outH, [&](int64_t r0, int64_t r1) {
    for (int64_t row = r0; row < r1; ++row) {
      const int64_t n = row / g.outH, oy = row % g.outH;
      const float* rows[3];
      for (int ky = 0; ky < 3; ++ky) {
        const int64_t iy = oy * Stride - g.padTop + ky;
        rows[ky] = iy >= 0 && iy < g.inH ? x + (n * g.inH + iy) * g.inW * C : zeros.data();
      }
      float* yRow = y + row * g.outW * C;
      for (int64_t c = 0; c < C; c += 4) {
        F32x4 w[9];
        for (int t = 0; t < 9; ++t) w[t] = load4(kernel + t * C + c);
        const F32x4 bias = epilogue.bias ? load4(epilogue.bias + c) : splat4(0.0f);
        const float* shifted[3] = {rows[0] + c, rows[1] + c, rows[2] + c};
        rowBlock<Stride>(shifted, w, bias, lo, hi, g, yRow + c);
      }
    }
  });
}
}  // namespace

bool depthwise3x3Applies(const Conv2DGeometry& g, int64_t multiplier) {
  return multiplier == 1 && g.kH == 3 && g.kW == 3 && g.channels % 4 == 0 && g.strideH == g.strideW &&
         (g.strideH == 1 || g.strideH == 2);
}

void depthwise3x3(const float* x, const float* kernel, const Conv2DGeometry& g, float* y, const Epilogue& epilogue) {
  if (g.strideH == 1) return run<1>(x, kernel, g, y, epilogue);
  run<2>(x, kernel, g, y, epilogue);
}

void depthwise3x3BackwardInputStride1(const float* dy, const float* kernel, const Conv2DGeometry& g, float* dx) {
  // dx[iy][ix] = sum over (ky, kx) of dy[iy + padTop - ky][ix + padLeft - kx] * k[ky][kx]:
  // a convolution of dy with k[2 - ky][2 - kx] and padding 2 - padTop / 2 - padLeft.
  const int64_t C = g.channels;
  std::vector<float> turned(static_cast<size_t>(9 * C));
  for (int t = 0; t < 9; ++t) std::copy(kernel + (8 - t) * C, kernel + (9 - t) * C, turned.begin() + t * C);
  Conv2DGeometry t = g;
  t.inH = g.outH;
  t.inW = g.outW;
  t.outH = g.inH;
  t.outW = g.inW;
  t.padTop = 2 - g.padTop;
  t.padLeft = 2 - g.padLeft;
  run<1>(dy, turned.data(), t, dx, Epilogue{});
}

}  // namespace tanuki::kernels
