// Four floats in one register, as interchangeable sets of operations: a
// plain struct (what native builds run; compilers vectorize it well enough
// for tests), WebAssembly SIMD, and WebAssembly SIMD with relaxed SIMD's
// fused multiply-add (the relaxed build only). A kernel written once as a
// template over the set gives its _scalar, _wasmsimd and _wasmrelaxed variants.
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

#ifdef __wasm_relaxed_simd__
// a * b + c in one instruction: f32x4.relaxed_madd, which engines run as a
// fused multiply-add (one rounding) on hardware that has one (x64 with FMA3,
// ARM64) and as a multiply then an add elsewhere. The compiler (clang 14)
// knows it by its prototype name and encoding, as an opaque builtin; the
// build re-encodes it as the standard instruction, whose meaning is
// a * b + c, in this operand order (scripts/relax-wasm-opcodes.mjs).
inline v128_t relaxedMadd(v128_t a, v128_t b, v128_t c) { return __builtin_wasm_fma_f32x4(a, b, c); }

struct F32x4WasmRelaxed : F32x4WasmSimd {
  static V mulAdd(V acc, V a, V b) { return relaxedMadd(a, b, acc); }
};
#endif

}  // namespace tanuki::kernels
