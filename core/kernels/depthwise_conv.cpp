#include "kernels/depthwise_conv.h"

#include <algorithm>
#include <mutex>
#include <vector>

#include "kernels/depthwise_3x3.h"
#include "kernels/vector_loops.h"
#include "util/thread_pool.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace tanuki::kernels {

namespace {
// out[c] = clamp(bias[c] + sum over t < taps of in[t][c] * w[t][c], lo, hi) for c < C.
void depthwise_f32_taps_scalar(int64_t C, int taps, const float* const* in, const float* const* w, const Epilogue& ep,
                               float* out) {
  for (int64_t c = 0; c < C; ++c) {
    float acc = ep.bias ? ep.bias[c] : 0.0f;
    for (int t = 0; t < taps; ++t) acc += in[t][c] * w[t][c];
    out[c] = std::min(std::max(acc, ep.lo), ep.hi);
  }
}

#ifdef __wasm_simd128__
// The same, 8 channels per step in two 4-lane accumulators.
void depthwise_f32_taps_wasmsimd(int64_t C, int taps, const float* const* in, const float* const* w,
                                 const Epilogue& ep, float* out) {
  const v128_t lo = wasm_f32x4_splat(ep.lo), hi = wasm_f32x4_splat(ep.hi);
  int64_t c = 0;
  for (; c + 8 <= C; c += 8) {
    v128_t a0 = ep.bias ? wasm_v128_load(ep.bias + c) : wasm_f32x4_splat(0.0f);
    v128_t a1 = ep.bias ? wasm_v128_load(ep.bias + c + 4) : wasm_f32x4_splat(0.0f);
    for (int t = 0; t < taps; ++t) {
      const float* x = in[t] + c;
      const float* k = w[t] + c;
      a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wasm_v128_load(x), wasm_v128_load(k)));
      a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(wasm_v128_load(x + 4), wasm_v128_load(k + 4)));
    }
    wasm_v128_store(out + c, wasm_f32x4_pmin(wasm_f32x4_pmax(a0, lo), hi));
    wasm_v128_store(out + c + 4, wasm_f32x4_pmin(wasm_f32x4_pmax(a1, lo), hi));
  }
  if (c < C) {
    const float* inTail[64];
    const float* wTail[64];
    for (int t = 0; t < taps; ++t) {
      inTail[t] = in[t] + c;
      wTail[t] = w[t] + c;
    }
    const Epilogue tail{ep.bias ? ep.bias + c : nullptr, ep.lo, ep.hi};
    depthwise_f32_taps_scalar(C - c, taps, inTail, wTail, tail, out + c);
  }
}
#endif

void depthwiseTaps(int64_t C, int taps, const float* const* in, const float* const* w, const Epilogue& ep, float* out) {
#ifdef __wasm_simd128__
  depthwise_f32_taps_wasmsimd(C, taps, in, w, ep, out);
#else
  depthwise_f32_taps_scalar(C, taps, in, w, ep, out);
#endif
}

#ifdef __wasm_simd128__
// acc[c] += sum over pixels p < count of x[p * xStride + c] * dy[p * C + c],
// for c < C, with 8 channels' sums held in registers across the whole row.
void depthwise_f32_rowdot_wasmsimd(int64_t C, int64_t count, const float* x, int64_t xStride, const float* dy,
                                   float* acc) {
  int64_t c = 0;
  for (; c + 8 <= C; c += 8) {
    v128_t a0 = wasm_v128_load(acc + c), a1 = wasm_v128_load(acc + c + 4);
    const float* xp = x + c;
    const float* dp = dy + c;
    for (int64_t p = 0; p < count; ++p, xp += xStride, dp += C) {
      a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wasm_v128_load(xp), wasm_v128_load(dp)));
      a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(wasm_v128_load(xp + 4), wasm_v128_load(dp + 4)));
    }
    wasm_v128_store(acc + c, a0);
    wasm_v128_store(acc + c + 4, a1);
  }
  for (int64_t p = 0; p < count; ++p) multiplyAdd(acc + c, x + p * xStride + c, dy + p * C + c, C - c);
}
#endif

void depthwiseRowDot(int64_t C, int64_t count, const float* x, int64_t xStride, const float* dy, float* acc) {
#ifdef __wasm_simd128__
  depthwise_f32_rowdot_wasmsimd(C, count, x, xStride, dy, acc);
#else
  for (int64_t p = 0; p < count; ++p) multiplyAdd(acc, x + p * xStride, dy + p * C, C);
#endif
}

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

// The fast paths keep a pointer per tap on the stack.
bool fastPath(const Conv2DGeometry& g, int64_t multiplier) { return multiplier == 1 && g.kH * g.kW <= 64; }
}  // namespace

void depthwiseConv2d(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t multiplier, float* y,
                     const Epilogue& epilogue) {
  if (depthwise3x3Applies(g, multiplier)) return depthwise3x3(x, kernel, g, y, epilogue);
  if (!fastPath(g, multiplier)) return depthwiseConv2dReference(x, kernel, g, multiplier, y, epilogue);
  const int64_t C = g.channels;
  const std::vector<float> zeros(static_cast<size_t>(C), 0.0f);
  parallelFor(g.batch * g.outH, [&](int64_t r0, int64_t r1) {
    const float* in[64];
    const float* w[64];
    for (int64_t row = r0; row < r1; ++row) {
      const int64_t n = row / g.outH, oy = row % g.outH;
      for (int64_t ox = 0; ox < g.outW; ++ox) {
        int taps = 0;
        for (int64_t ky = 0; ky < g.kH; ++ky)
          for (int64_t kx = 0; kx < g.kW; ++kx) {
            const int64_t iy = oy * g.strideH - g.padTop + ky, ix = ox * g.strideW - g.padLeft + kx;
            const bool inside = iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW;
            in[taps] = inside ? x + ((n * g.inH + iy) * g.inW + ix) * C : zeros.data();
            w[taps++] = kernel + (ky * g.kW + kx) * C;
          }
        depthwiseTaps(C, taps, in, w, epilogue, y + (row * g.outW + ox) * C);
      }
    }
  });
}

void depthwiseConv2dBackwardInput(const float* dy, const float* kernel, const Conv2DGeometry& g, int64_t multiplier,
                                  float* dx) {
  if (depthwise3x3Applies(g, multiplier) && g.strideH == 1 && g.padTop <= 2 && g.padLeft <= 2)
    return depthwise3x3BackwardInputStride1(dy, kernel, g, dx);
  if (!fastPath(g, multiplier)) return depthwiseConv2dBackwardInputReference(dy, kernel, g, multiplier, dx);
  const int64_t C = g.channels;
  // Gathered per input pixel: the output pixels whose windows cover it, each
  // with the tap it was under; no two threads write the same pixel.
  parallelFor(g.batch * g.inH, [&](int64_t r0, int64_t r1) {
    const float* in[64];
    const float* w[64];
    for (int64_t row = r0; row < r1; ++row) {
      const int64_t n = row / g.inH, iy = row % g.inH;
      for (int64_t ix = 0; ix < g.inW; ++ix) {
        int taps = 0;
        for (int64_t ky = 0; ky < g.kH; ++ky) {
          const int64_t sy = iy + g.padTop - ky;
          if (sy < 0 || sy % g.strideH != 0 || sy / g.strideH >= g.outH) continue;
          for (int64_t kx = 0; kx < g.kW; ++kx) {
            const int64_t sx = ix + g.padLeft - kx;
            if (sx < 0 || sx % g.strideW != 0 || sx / g.strideW >= g.outW) continue;
            in[taps] = dy + ((n * g.outH + sy / g.strideH) * g.outW + sx / g.strideW) * C;
            w[taps++] = kernel + (ky * g.kW + kx) * C;
          }
        }
        depthwiseTaps(C, taps, in, w, Epilogue{}, dx + (row * g.inW + ix) * C);
      }
    }
  });
}

void depthwiseConv2dBackwardFilter(const float* x, const float* dy, const Conv2DGeometry& g, int64_t multiplier,
                                   float* dkernel) {
  if (!fastPath(g, multiplier)) return depthwiseConv2dBackwardFilterReference(x, dy, g, multiplier, dkernel);
  const int64_t C = g.channels, taps = g.kH * g.kW;
  std::fill(dkernel, dkernel + taps * C, 0.0f);
  std::mutex merge;
  // Each chunk of output rows sums into its own copy, added in at the end.
  parallelFor(g.batch * g.outH, [&](int64_t r0, int64_t r1) {
    std::vector<float> acc(static_cast<size_t>(taps * C), 0.0f);
    for (int64_t row = r0; row < r1; ++row) {
      const int64_t n = row / g.outH, oy = row % g.outH;
      const float* dyRow = dy + row * g.outW * C;
      for (int64_t ky = 0; ky < g.kH; ++ky) {
        const int64_t iy = oy * g.strideH - g.padTop + ky;
        if (iy < 0 || iy >= g.inH) continue;
        for (int64_t kx = 0; kx < g.kW; ++kx) {
          // Output columns whose tap kx lands inside the image.
          const int64_t first = std::max<int64_t>(0, (g.padLeft - kx + g.strideW - 1) / g.strideW);
          const int64_t span = g.inW - 1 + g.padLeft - kx;
          const int64_t last = span < 0 ? 0 : std::min(g.outW, span / g.strideW + 1);
          if (first >= last) continue;
          const float* xp = x + ((n * g.inH + iy) * g.inW + first * g.strideW - g.padLeft + kx) * C;
          depthwiseRowDot(C, last - first, xp, g.strideW * C, dyRow + first * C, acc.data() + (ky * g.kW + kx) * C);
        }
      }
    }
    std::lock_guard<std::mutex> lock(merge);
    scaleAdd(dkernel, acc.data(), 1.0f, taps * C);
  });
}

void depthwiseConv2dReference(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t multiplier,
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

void depthwiseConv2dBackwardInputReference(const float* dy, const float* kernel, const Conv2DGeometry& g,
                                           int64_t multiplier, float* dx) {
  const int64_t C = g.channels, M = multiplier;
  std::fill(dx, dx + g.batch * g.inH * g.inW * C, 0.0f);
  forEachTap(g, M, [&](int64_t in, int64_t out, int64_t tap) {
    for (int64_t c = 0; c < C; ++c)
      for (int64_t m = 0; m < M; ++m) dx[in + c] += dy[out + c * M + m] * kernel[tap + c * M + m];
  });
}

void depthwiseConv2dBackwardFilterReference(const float* x, const float* dy, const Conv2DGeometry& g,
                                            int64_t multiplier, float* dkernel) {
  const int64_t C = g.channels, M = multiplier;
  std::fill(dkernel, dkernel + g.kH * g.kW * C * M, 0.0f);
  forEachTap(g, M, [&](int64_t in, int64_t out, int64_t tap) {
    for (int64_t c = 0; c < C; ++c)
      for (int64_t m = 0; m < M; ++m) dkernel[tap + c * M + m] += x[in + c] * dy[out + c * M + m];
  });
}

}  // namespace tanuki::kernels
