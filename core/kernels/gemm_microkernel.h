// The GEMM's register-tiled inner kernels: one MR x 8 tile of C from MR rows
// of A and one packed 8-column panel of B. Both twins compute the same thing;
// the driver (gemm.cpp) uses the SIMD one when the build has WebAssembly SIMD.
#pragma once

#include <algorithm>
#include <cstdint>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace tanuki::kernels {

// How a finished tile is written back: c = beta * c + alpha * acc, then, on
// the last K block only, + bias and clamped to [lo, hi]. beta == 0 never reads c.
struct TileStore {
  float alpha = 1, beta = 0;
  const float* bias = nullptr;  // already offset to the tile's first column
  float lo, hi;
  bool last = true;
};

inline float storeValue(float acc, const float* c, int64_t col, const TileStore& s) {
  float v = s.alpha * acc + (s.beta == 0.0f ? 0.0f : s.beta * *c);
  if (s.last) {
    if (s.bias) v += s.bias[col];
    v = std::min(std::max(v, s.lo), s.hi);
  }
  return v;
}

// The operands of one tile: A's element (r, k) at a[r * aRow + k * aCol]
// (a row-major block, or a transposed matrix read in place); B's 8 columns
// of step k at b + k * ldb (a packed panel, ldb = 8, or B itself, ldb = N).
struct TileOperands {
  const float* a;
  int64_t aRow, aCol;
  const float* b;
  int64_t ldb;
};

// c: the tile's rows at stride ldc, mr x nr of it written (mr <= MR, nr <= 8).
template <int MR>
void gemm_f32_mrx8_scalar(int64_t mr, int64_t nr, int64_t kc, const TileOperands& op, float* c, int64_t ldc,
                          const TileStore& s) {
  float acc[MR][8] = {};
  for (int64_t k = 0; k < kc; ++k)
    for (int r = 0; r < MR; ++r) {
      const float av = r < mr ? op.a[r * op.aRow + k * op.aCol] : 0.0f;
      for (int j = 0; j < 8; ++j) acc[r][j] += av * op.b[k * op.ldb + j];
    }
  for (int64_t r = 0; r < mr; ++r)
    for (int64_t j = 0; j < nr; ++j) c[r * ldc + j] = storeValue(acc[r][j], &c[r * ldc + j], j, s);
}

#ifdef __wasm_simd128__
// Each step broadcasts one A value per row (a load-splat, which keeps the
// shuffle ports free) against the panel's two 4-lane halves; the 2 * MR
// accumulators stay in registers (V8 has 16 on x64: MR = 4 leaves room).
template <int MR>
void gemm_f32_mrx8_wasmsimd(int64_t mr, int64_t nr, int64_t kc, const TileOperands& op, float* c, int64_t ldc,
                            const TileStore& s) {
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
      lo[r] = wasm_f32x4_add(lo[r], wasm_f32x4_mul(av, b0));
      hi[r] = wasm_f32x4_add(hi[r], wasm_f32x4_mul(av, b1));
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
#endif

}  // namespace tanuki::kernels
