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
    v128_t a0 = wasm_v128_load(acc + c), a1 = wasm_v128_load(acc + c + 4);
    const float* xp = x + c;
    const float* dp = dy + c;
    for (int64_t p = 0; p < count; ++p, xp += xStride, dp += C) {
      a0 = L::mulAdd(a0, wasm_v128_load(xp), wasm_v128_load(dp));
      a1 = L::mulAdd(a1, wasm_v128_load(xp + 4), wasm_v128_load(dp + 4));
    }
    wasm_v128_store(acc + c, a0);
    wasm_v128_store(acc + c + 4, a1);
  }
  for (int64_t p = 0; p < count; ++p) multiplyAdd(acc + c, x + p * xStride + c, dy + p * C + c, C - c);
}

inline void depthwise_f32_rowdot_wasmsimd(int64_t C, int64_t count, const float* x, int64_t xStride, const float* dy,
                                          float* acc) {
  depthwise_f32_rowdot_wasm<F32x4WasmSimd>(C, count, x, xStride, dy, acc);
}
#ifdef __wasm_relaxed_simd__
inline void depthwise_f32_rowdot_wasmrelaxed(int64_t C, int64_t count, const float* x, int64_t xStride, const float* dy,
                                             float* acc) {
  depthwise_f32_rowdot_wasm<F32x4WasmRelaxed>(C, count, x, xStride, dy, acc);
}
#endif

}  // namespace tanuki::kernels
