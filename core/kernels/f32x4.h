// Four floats in one register: WebAssembly SIMD where the build has it, a
// plain struct elsewhere (native builds, which compilers vectorize well
// enough for tests), so a kernel is written once for both.
#pragma once

#include <algorithm>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace tanuki::kernels {

#ifdef __wasm_simd128__
using F32x4 = v128_t;
inline F32x4 load4(const float* p) { return wasm_v128_load(p); }
inline void store4(float* p, F32x4 v) { wasm_v128_store(p, v); }
inline F32x4 splat4(float v) { return wasm_f32x4_splat(v); }
inline F32x4 add4(F32x4 a, F32x4 b) { return wasm_f32x4_add(a, b); }
// acc + a * b (no fused multiply-add in WebAssembly SIMD 1.0)
inline F32x4 mulAdd4(F32x4 acc, F32x4 a, F32x4 b) { return wasm_f32x4_add(acc, wasm_f32x4_mul(a, b)); }
// min(max(v, lo), hi), passing NaN through as the scalar kernels do
inline F32x4 clamp4(F32x4 v, F32x4 lo, F32x4 hi) { return wasm_f32x4_pmin(wasm_f32x4_pmax(v, lo), hi); }
#else
struct F32x4 {
  float v[4];
};
inline F32x4 load4(const float* p) { return {{p[0], p[1], p[2], p[3]}}; }
inline void store4(float* p, F32x4 a) { std::copy(a.v, a.v + 4, p); }
inline F32x4 splat4(float s) { return {{s, s, s, s}}; }
inline F32x4 add4(F32x4 a, F32x4 b) {
  for (int i = 0; i < 4; ++i) a.v[i] += b.v[i];
  return a;
}
inline F32x4 mulAdd4(F32x4 acc, F32x4 a, F32x4 b) {
  for (int i = 0; i < 4; ++i) acc.v[i] += a.v[i] * b.v[i];
  return acc;
}
inline F32x4 clamp4(F32x4 a, F32x4 lo, F32x4 hi) {
  for (int i = 0; i < 4; ++i) {
    a.v[i] = a.v[i] < lo.v[i] ? lo.v[i] : a.v[i];
    a.v[i] = hi.v[i] < a.v[i] ? hi.v[i] : a.v[i];
  }
  return a;
}
#endif

}  // namespace tanuki::kernels
