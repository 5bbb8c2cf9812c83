#include "kernels/depthwise/depthwise_f32_3x3.h"

#include <vector>

#include "kernels/common/f32x4.h"
#include "util/thread_pool.h"

namespace tanuki::kernels {

namespace {
// One output row, channels [c, c + 4): rows[ky] is the input row under
// kernel row ky (a row of zeros in the padding), already offset by c.
template <class L, int Stride>
void rowBlock(const float* const rows[3], const typename L::V w[9], typename L::V bias, typename L::V lo,
              typename L::V hi, const Conv2DGeometry& g, float* y) {
  using F32x4 = typename L::V;
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
        if (ix >= 0 && ix < inW) acc = L::mulAdd(acc, L::load(rows[ky] + ix * C), w[ky * 3 + kx]);
      }
    L::store(y + ox * C, L::clamp(acc, lo, hi));
  };
  for (int64_t ox = 0; ox < first; ++ox) edge(ox);
  const float* p0 = rows[0] + (first * Stride - padLeft) * C;
  const float* p1 = rows[1] + (first * Stride - padLeft) * C;
  const float* p2 = rows[2] + (first * Stride - padLeft) * C;
  for (int64_t ox = first; ox < last; ++ox, p0 += Stride * C, p1 += Stride * C, p2 += Stride * C) {
    // One partial sum per kernel row: three short dependency chains.
    F32x4 a0 = L::mulAdd(bias, L::load(p0), w[0]);
    F32x4 a1 = L::mulAdd(L::splat(0.0f), L::load(p1), w[3]);
    F32x4 a2 = L::mulAdd(L::splat(0.0f), L::load(p2), w[6]);
    a0 = L::mulAdd(a0, L::load(p0 + C), w[1]);
    a1 = L::mulAdd(a1, L::load(p1 + C), w[4]);
    a2 = L::mulAdd(a2, L::load(p2 + C), w[7]);
    a0 = L::mulAdd(a0, L::load(p0 + 2 * C), w[2]);
    a1 = L::mulAdd(a1, L::load(p1 + 2 * C), w[5]);
    a2 = L::mulAdd(a2, L::load(p2 + 2 * C), w[8]);
    L::store(y + ox * C, L::clamp(L::add(L::add(a0, a1), a2), lo, hi));
  }
  for (int64_t ox = last; ox < outW; ++ox) edge(ox);
}

template <class L, int Stride>
void run(const float* x, const float* kernel, const Conv2DGeometry& g, float* y, const Epilogue& epilogue) {
  using F32x4 = typename L::V;
  const int64_t C = g.channels;
  const std::vector<float> zeros(static_cast<size_t>(g.inW * C), 0.0f);
  const F32x4 lo = L::splat(epilogue.lo), hi = L::splat(epilogue.hi);
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
        for (int t = 0; t < 9; ++t) w[t] = L::load(kernel + t * C + c);
        const F32x4 bias = epilogue.bias ? L::load(epilogue.bias + c) : L::splat(0.0f);
        const float* shifted[3] = {rows[0] + c, rows[1] + c, rows[2] + c};
        rowBlock<L, Stride>(shifted, w, bias, lo, hi, g, yRow + c);
      }
    }
  });
}

template <class L>
void backwardInputStride1(const float* dy, const float* kernel, const Conv2DGeometry& g, float* dx) {
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
  run<L, 1>(dy, turned.data(), t, dx, Epilogue{});
}
}  // namespace

bool depthwise3x3Applies(const Conv2DGeometry& g, int64_t multiplier) {
  return multiplier == 1 && g.kH == 3 && g.kW == 3 && g.channels % 4 == 0 && g.strideH == g.strideW &&
         (g.strideH == 1 || g.strideH == 2);
}

void depthwise_f32_3x3_scalar(const float* x, const float* kernel, const Conv2DGeometry& g, float* y,
                              const Epilogue& epilogue) {
  if (g.strideH == 1) return run<F32x4Scalar, 1>(x, kernel, g, y, epilogue);
  run<F32x4Scalar, 2>(x, kernel, g, y, epilogue);
}

void depthwise_f32_3x3_backward_input_scalar(const float* dy, const float* kernel, const Conv2DGeometry& g, float* dx) {
  backwardInputStride1<F32x4Scalar>(dy, kernel, g, dx);
}

#ifdef __wasm_simd128__
void depthwise_f32_3x3_wasmsimd(const float* x, const float* kernel, const Conv2DGeometry& g, float* y,
                                const Epilogue& epilogue) {
  if (g.strideH == 1) return run<F32x4WasmSimd, 1>(x, kernel, g, y, epilogue);
  run<F32x4WasmSimd, 2>(x, kernel, g, y, epilogue);
}

void depthwise_f32_3x3_backward_input_wasmsimd(const float* dy, const float* kernel, const Conv2DGeometry& g,
                                               float* dx) {
  backwardInputStride1<F32x4WasmSimd>(dy, kernel, g, dx);
}
#endif

#ifdef __wasm_relaxed_simd__
void depthwise_f32_3x3_wasmrelaxed(const float* x, const float* kernel, const Conv2DGeometry& g, float* y,
                                   const Epilogue& epilogue) {
  if (g.strideH == 1) return run<F32x4WasmRelaxed, 1>(x, kernel, g, y, epilogue);
  run<F32x4WasmRelaxed, 2>(x, kernel, g, y, epilogue);
}

void depthwise_f32_3x3_backward_input_wasmrelaxed(const float* dy, const float* kernel, const Conv2DGeometry& g,
                                                  float* dx) {
  backwardInputStride1<F32x4WasmRelaxed>(dy, kernel, g, dx);
}
#endif

}  // namespace tanuki::kernels
