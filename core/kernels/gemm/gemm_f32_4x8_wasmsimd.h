// The GEMM micro-kernel in WebAssembly SIMD (see tile.h). Each step
// broadcasts one A value per row (a load-splat, which keeps the shuffle
// ports free) against the panel's two 4-lane halves; the 2 * 4 accumulators
// stay in registers (V8 has 16 on x64: 4 rows leave room). Written over
// the multiply-add of an f32x4.h set `L`: gemm_f32_4x8_wasmsimd multiplies
// then adds, gemm_f32_4x8_wasmrelaxed (the relaxed build) fuses the two.
#pragma once

#include <wasm_simd128.h>

#include "kernels/common/f32x4.h"
#include "kernels/gemm/tile.h"

namespace tanuki::kernels {

template <class L>
void gemm_f32_4x8_wasm(int64_t mr, int64_t nr, int64_t kc, const TileOperands& op, float* c, int64_t ldc,
                       const TileStore& s) {
  constexpr int MR = kTileRows;
  const float* rows[MR];
  for (int r = 0; r < MR; ++r) rows[r] = op.a + (r < mr ? r : 0) * op.aRow;  // missing rows repeat row 0, never stored
  v128_t lo[MR], hi[MR];
  for (int r = 0; r < MR; ++r) lo[r] = hi[r] = wasm_f32x4_splat(0.0f);
  const float* b = op.b;
  for (int64_t k = 0; k < kc; ++k, b += op.ldb) {
    const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
    for (int r = 0; r < MR; ++r) {
      const v128_t av = wasm_v128_load32_splat(rows[r]);
      rows[r] += op.aCol;
      lo[r] = L::mulAdd(lo[r], av, b0);
      hi[r] = L::mulAdd(hi[r], av, b1);
    }
  }
  if (mr == MR && nr == 8) {
    const v128_t alpha = wasm_f32x4_splat(s.alpha), beta = wasm_f32x4_splat(s.beta);
    const v128_t vlo = wasm_f32x4_splat(s.lo), vhi = wasm_f32x4_splat(s.hi);
    const v128_t bias0 = s.last && s.bias ? wasm_v128_load(s.bias) : wasm_f32x4_splat(0.0f);
    const v128_t bias1 = s.last && s.bias ? wasm_v128_load(s.bias + 4) : wasm_f32x4_splat(0.0f);
    for (int r = 0; r < MR; ++r) {
      float* row = c + r * ldc;
      v128_t v0 = s.alpha == 1.0f ? lo[r] : wasm_f32x4_mul(alpha, lo[r]);
      v128_t v1 = s.alpha == 1.0f ? hi[r] : wasm_f32x4_mul(alpha, hi[r]);
      if (s.beta != 0.0f) {
        v0 = wasm_f32x4_add(v0, wasm_f32x4_mul(beta, wasm_v128_load(row)));
        v1 = wasm_f32x4_add(v1, wasm_f32x4_mul(beta, wasm_v128_load(row + 4)));
      }
      if (s.last) {
        // pmin/pmax are single x64 instructions; the clamp bounds are never NaN.
        v0 = wasm_f32x4_pmin(wasm_f32x4_pmax(wasm_f32x4_add(v0, bias0), vlo), vhi);
        v1 = wasm_f32x4_pmin(wasm_f32x4_pmax(wasm_f32x4_add(v1, bias1), vlo), vhi);
      }
      wasm_v128_store(row, v0);
      wasm_v128_store(row + 4, v1);
    }
    return;
  }
  float acc[MR][8];
  for (int r = 0; r < MR; ++r) {
    wasm_v128_store(acc[r], lo[r]);
    wasm_v128_store(acc[r] + 4, hi[r]);
  }
  for (int64_t r = 0; r < mr; ++r)
    for (int64_t j = 0; j < nr; ++j) c[r * ldc + j] = storeValue(acc[r][j], &c[r * ldc + j], j, s);
}

inline constexpr TileKernel gemm_f32_4x8_wasmsimd = gemm_f32_4x8_wasm<F32x4WasmSimd>;
#ifdef __wasm_relaxed_simd__
inline constexpr TileKernel gemm_f32_4x8_wasmrelaxed = gemm_f32_4x8_wasm<F32x4WasmRelaxed>;
#endif

}  // namespace tanuki::kernels
