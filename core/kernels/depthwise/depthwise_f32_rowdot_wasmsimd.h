// depthwise_f32_rowdot_scalar in WebAssembly SIMD, with 8 channels' sums held
// in registers across the whole row; over an f32x4.h set `L` (the _wasmrelaxed
// variant fuses each multiply-add).
#pragma once

#include <wasm_simd128.h>

#include "kernels/common/f32x4.h"
#include "kernels/common/vector_loops.h"

namespace tanuki::kernels {

template <class L>
void depthwise_f32_rowdot_wasm(int64_t C, int64_t count, const float* x, int64_t xStride, const float* dy, float* acc) {
  int64_t c = 0;
  for (; c + 8 <= C; c += 8) {
    // Even and odd pixels sum apart: four independent chains, so the adds'
    // latency no longer paces the loop (two chains left it waiting on them).
    v128_t a0 = wasm_v128_load(acc + c), a1 = wasm_v128_load(acc + c + 4);
    v128_t b0 = wasm_f32x4_splat(0.0f), b1 = b0;
    const float* xp = x + c;
    const float* dp = dy + c;
    int64_t p = 0;
    for (; p + 2 <= count; p += 2, xp += 2 * xStride, dp += 2 * C) {
      a0 = L::mulAdd(a0, wasm_v128_load(xp), wasm_v128_load(dp));
      a1 = L::mulAdd(a1, wasm_v128_load(xp + 4), wasm_v128_load(dp + 4));
      b0 = L::mulAdd(b0, wasm_v128_load(xp + xStride), wasm_v128_load(dp + C));
      b1 = L::mulAdd(b1, wasm_v128_load(xp + xStride + 4), wasm_v128_load(dp + C + 4));
    }
    if (p < count) {
      a0 = L::mulAdd(a0, wasm_v128_load(xp), wasm_v128_load(dp));
      a1 = L::mulAdd(a1, wasm_v128_load(xp + 4), wasm_v128_load(dp + 4));
    }
    wasm_v128_store(acc + c, wasm_f32x4_add(a0, b0));
    wasm_v128_store(acc + c + 4, wasm_f32x4_add(a1, b1));
  }
  for (int64_t p = 0; p < count; ++p) multiplyAdd(acc + c, x + p * xStride + c, dy + p * C + c, C - c);
}

// depthwise_f32_rowdot3_scalar: 8 channels of three taps, six chains in
// registers, each dy loaded once for the three taps (a third of the loads
// per multiply-add of three separate row dot products).
template <class L>
void depthwise_f32_rowdot3_wasm(int64_t C, int64_t count, const float* x, int64_t xStride, const float* dy,
                                float* acc) {
  int64_t c = 0;
  for (; c + 8 <= C; c += 8) {
    v128_t a0 = wasm_v128_load(acc + c), a1 = wasm_v128_load(acc + c + 4);
    v128_t b0 = wasm_v128_load(acc + C + c), b1 = wasm_v128_load(acc + C + c + 4);
    v128_t e0 = wasm_v128_load(acc + 2 * C + c), e1 = wasm_v128_load(acc + 2 * C + c + 4);
    const float* xp = x + c;
    const float* dp = dy + c;
    for (int64_t p = 0; p < count; ++p, xp += xStride, dp += C) {
      const v128_t d0 = wasm_v128_load(dp), d1 = wasm_v128_load(dp + 4);
      a0 = L::mulAdd(a0, wasm_v128_load(xp), d0);
      a1 = L::mulAdd(a1, wasm_v128_load(xp + 4), d1);
      b0 = L::mulAdd(b0, wasm_v128_load(xp + C), d0);
      b1 = L::mulAdd(b1, wasm_v128_load(xp + C + 4), d1);
      e0 = L::mulAdd(e0, wasm_v128_load(xp + 2 * C), d0);
      e1 = L::mulAdd(e1, wasm_v128_load(xp + 2 * C + 4), d1);
    }
    wasm_v128_store(acc + c, a0);
    wasm_v128_store(acc + c + 4, a1);
    wasm_v128_store(acc + C + c, b0);
    wasm_v128_store(acc + C + c + 4, b1);
    wasm_v128_store(acc + 2 * C + c, e0);
    wasm_v128_store(acc + 2 * C + c + 4, e1);
  }
  for (int64_t t = 0; t < 3; ++t)
    for (int64_t p = 0; p < count; ++p)
      multiplyAdd(acc + t * C + c, x + p * xStride + t * C + c, dy + p * C + c, C - c);
}

inline void depthwise_f32_rowdot_wasmsimd(int64_t C, int64_t count, const float* x, int64_t xStride, const float* dy,
                                          float* acc) {
  depthwise_f32_rowdot_wasm<F32x4WasmSimd>(C, count, x, xStride, dy, acc);
}
inline void depthwise_f32_rowdot3_wasmsimd(int64_t C, int64_t count, const float* x, int64_t xStride, const float* dy,
                                           float* acc) {
  depthwise_f32_rowdot3_wasm<F32x4WasmSimd>(C, count, x, xStride, dy, acc);
}
#ifdef __wasm_relaxed_simd__
inline void depthwise_f32_rowdot3_wasmrelaxed(int64_t C, int64_t count, const float* x, int64_t xStride,
                                              const float* dy, float* acc) {
  depthwise_f32_rowdot3_wasm<F32x4WasmRelaxed>(C, count, x, xStride, dy, acc);
}
inline void depthwise_f32_rowdot_wasmrelaxed(int64_t C, int64_t count, const float* x, int64_t xStride, const float* dy,
                                             float* acc) {
  depthwise_f32_rowdot_wasm<F32x4WasmRelaxed>(C, count, x, xStride, dy, acc);
}
#endif

}  // namespace tanuki::kernels
