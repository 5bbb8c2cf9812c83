// Four floats in one register, as two interchangeable sets of operations: a
// plain struct (what native builds run; compilers vectorize it well enough
// for tests) and WebAssembly SIMD. A kernel written once as a template over
// the set gives both its _scalar and its _wasmsimd variant.
#pragma once

#include <algorithm>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace tanuki::kernels {

struct F32x4Scalar {
  struct V {
    float v[4];
  };
  static V load(const float* p) { return {{p[0], p[1], p[2], p[3]}}; }
  static void store(float* p, V a) { std::copy(a.v, a.v + 4, p); }
  static V splat(float s) { return {{s, s, s, s}}; }
  static V add(V a, V b) {
    for (int i = 0; i < 4; ++i) a.v[i] += b.v[i];
    return a;
  }
  static V mulAdd(V acc, V a, V b) {
    for (int i = 0; i < 4; ++i) acc.v[i] += a.v[i] * b.v[i];
    return acc;
  }
  static V clamp(V a, V lo, V hi) {
    for (int i = 0; i < 4; ++i) {
      a.v[i] = a.v[i] < lo.v[i] ? lo.v[i] : a.v[i];
      a.v[i] = hi.v[i] < a.v[i] ? hi.v[i] : a.v[i];
    }
    return a;
  }
};

#ifdef __wasm_simd128__
struct F32x4WasmSimd {
  using V = v128_t;
  static V load(const float* p) { return wasm_v128_load(p); }
  static void store(float* p, V v) { wasm_v128_store(p, v); }
  static V splat(float v) { return wasm_f32x4_splat(v); }
  static V add(V a, V b) { return wasm_f32x4_add(a, b); }
  // acc + a * b (no fused multiply-add in WebAssembly SIMD 1.0)
  static V mulAdd(V acc, V a, V b) { return wasm_f32x4_add(acc, wasm_f32x4_mul(a, b)); }
  // min(max(v, lo), hi), passing NaN through as the scalar kernels do
  static V clamp(V v, V lo, V hi) { return wasm_f32x4_pmin(wasm_f32x4_pmax(v, lo), hi); }
};
#endif

}  // namespace tanuki::kernels
