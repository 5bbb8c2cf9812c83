// What the GEMM driver (gemm.cpp) hands a micro-kernel: one kTileRows x
// kTileCols tile of C, computed from kTileRows rows of A and one packed
// kTileCols-column panel of B over kc steps, and how to store it.
#pragma once

#include <algorithm>
#include <cstdint>

namespace tanuki::kernels {

inline constexpr int64_t kTileRows = 4, kTileCols = 8;

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

// c: the tile's rows at stride ldc, mr x nr of it written (mr <= kTileRows, nr <= kTileCols).
using TileKernel = void (*)(int64_t mr, int64_t nr, int64_t kc, const TileOperands& op, float* c, int64_t ldc,
                            const TileStore& s);

}  // namespace tanuki::kernels
