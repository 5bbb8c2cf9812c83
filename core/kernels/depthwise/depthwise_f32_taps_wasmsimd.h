// depthwise_f32_taps_scalar in WebAssembly SIMD: 8 channels per step in two
// 4-lane accumulators, the channels past the last 8 in scalar code; over an
// f32x4.h set `L` (the _wasmrelaxed variant fuses each multiply-add).
#pragma once

#include <wasm_simd128.h>

#include "kernels/common/f32x4.h"
#include "kernels/depthwise/depthwise_f32_taps_scalar.h"

namespace tanuki::kernels {

template <class L>
void depthwise_f32_taps_wasm(int64_t C, int taps, const float* const* in, const float* const* w, const Epilogue& ep,
                             float* out) {
  const v128_t lo = wasm_f32x4_splat(ep.lo), hi = wasm_f32x4_splat(ep.hi);
  int64_t c = 0;
  for (; c + 8 <= C; c += 8) {
    v128_t a0 = ep.bias ? wasm_v128_load(ep.bias + c) : wasm_f32x4_splat(0.0f);
    v128_t a1 = ep.bias ? wasm_v128_load(ep.bias + c + 4) : wasm_f32x4_splat(0.0f);
    for (int t = 0; t < taps; ++t) {
      const float* x = in[t] + c;
      const float* k = w[t] + c;
      a0 = L::mulAdd(a0, wasm_v128_load(x), wasm_v128_load(k));
      a1 = L::mulAdd(a1, wasm_v128_load(x + 4), wasm_v128_load(k + 4));
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

inline void depthwise_f32_taps_wasmsimd(int64_t C, int taps, const float* const* in, const float* const* w,
                                        const Epilogue& ep, float* out) {
  depthwise_f32_taps_wasm<F32x4WasmSimd>(C, taps, in, w, ep, out);
}
#ifdef __wasm_relaxed_simd__
inline void depthwise_f32_taps_wasmrelaxed(int64_t C, int taps, const float* const* in, const float* const* w,
                                           const Epilogue& ep, float* out) {
  depthwise_f32_taps_wasm<F32x4WasmRelaxed>(C, taps, in, w, ep, out);
}
#endif

}  // namespace tanuki::kernels
