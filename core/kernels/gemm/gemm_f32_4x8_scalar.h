// The GEMM micro-kernel in plain C++ (native builds): a 4x8 tile of
// accumulators, one multiply-add per element and step (see tile.h).
#pragma once

#include "kernels/gemm/tile.h"

namespace tanuki::kernels {

inline void gemm_f32_4x8_scalar(int64_t mr, int64_t nr, int64_t kc, const TileOperands& op, float* c, int64_t ldc,
                                const TileStore& s) {
  constexpr int MR = kTileRows;
  float acc[MR][8] = {};
  for (int64_t k = 0; k < kc; ++k)
    for (int r = 0; r < MR; ++r) {
      const float av = r < mr ? op.a[r * op.aRow + k * op.aCol] : 0.0f;
      for (int j = 0; j < 8; ++j) acc[r][j] += av * op.b[k * op.ldb + j];
    }
  for (int64_t r = 0; r < mr; ++r)
    for (int64_t j = 0; j < nr; ++j) c[r * ldc + j] = storeValue(acc[r][j], &c[r * ldc + j], j, s);
}

}  // namespace tanuki::kernels
