// The GEMM micro-kernel for a C of at most four columns (a classifier's
// few classes): the 4x8 tile would compute eight columns to keep N, after
// packing B into eight-column panels on every call. Here the four lanes of
// a register are four rows of C, one register per column: a step loads four
// values of A (one load where A is transposed, as in a Dense layer's kernel
// gradient) and broadcasts N values of B. Each element is still summed over
// k in order and stored by storeValue, as the tile sums and stores it, so
// the results are the tiled path's bit for bit (tested).
#pragma once

#include "kernels/gemm/tile.h"

namespace tanuki::kernels {

inline constexpr int64_t kNarrowMaxCols = 4;

// A's element (r, k) at a[r * aRow + k * aCol]; B's element (k, j) at b[k * bRow + j * bCol].
struct NarrowOperands {
  const float* a;
  int64_t aRow, aCol;
  const float* b;
  int64_t bRow, bCol;
};

// mr (<= 4) rows and n (<= kNarrowMaxCols) columns of C at stride ldc, over kc steps.
using NarrowKernel = void (*)(int64_t mr, int64_t n, int64_t kc, const NarrowOperands& op, float* c, int64_t ldc,
                              const TileStore& s);

template <class L, int N>
void gemmNarrowColumns(int64_t mr, int64_t kc, const NarrowOperands& op, float* c, int64_t ldc, const TileStore& s) {
  using V = typename L::V;
  V acc[N];
  for (int j = 0; j < N; ++j) acc[j] = L::splat(0.0f);
  const float* rows[kTileRows];
  for (int r = 0; r < kTileRows; ++r)
    rows[r] = op.a + (r < mr ? r : 0) * op.aRow;  // missing rows repeat row 0, never stored
  const bool contiguous = op.aRow == 1 && mr == kTileRows;
  const float* b = op.b;
  for (int64_t k = 0; k < kc; ++k, b += op.bRow) {
    V av;
    if (contiguous) {
      av = L::load(rows[0]);
      rows[0] += op.aCol;
    } else {
      float column[kTileRows];
      for (int r = 0; r < kTileRows; ++r) {
        column[r] = *rows[r];
        rows[r] += op.aCol;
      }
      av = L::load(column);
    }
    for (int j = 0; j < N; ++j) acc[j] = L::mulAdd(acc[j], av, L::splat(b[j * op.bCol]));
  }
  float sums[N][kTileRows];
  for (int j = 0; j < N; ++j) L::store(sums[j], acc[j]);
  for (int64_t r = 0; r < mr; ++r)
    for (int j = 0; j < N; ++j) c[r * ldc + j] = storeValue(sums[j][r], &c[r * ldc + j], j, s);
}

template <class L>
void gemm_f32_4xn(int64_t mr, int64_t n, int64_t kc, const NarrowOperands& op, float* c, int64_t ldc,
                  const TileStore& s) {
  switch (n) {
    case 1: return gemmNarrowColumns<L, 1>(mr, kc, op, c, ldc, s);
    case 2: return gemmNarrowColumns<L, 2>(mr, kc, op, c, ldc, s);
    case 3: return gemmNarrowColumns<L, 3>(mr, kc, op, c, ldc, s);
    default: return gemmNarrowColumns<L, 4>(mr, kc, op, c, ldc, s);
  }
}

}  // namespace tanuki::kernels
