#include "kernels/gemm/gemm.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "kernels/common/f32x4.h"
#include "kernels/gemm/gemm_f32_4x8_scalar.h"
#include "kernels/gemm/gemm_f32_4xn.h"
#include "kernels/gemm/variants.h"
#include "util/thread_pool.h"

#ifdef __wasm_simd128__
#include "kernels/gemm/gemm_f32_4x8_wasmsimd.h"
#endif

namespace tanuki::kernels {

namespace {
constexpr int64_t MR = kTileRows, NR = kTileCols;
// K is cut into blocks of at most kMaxKc, so that a micro-kernel's A rows
// (MR x kc) and B panel (kc x NR) stay in L1 while a tile is computed.
constexpr int64_t kMaxKc = 512;
// Column blocks keep the packed B of one K block (kc x nc) within L2.
constexpr int64_t kMaxNc = 512;
// Products of fewer multiply-adds run on the calling thread alone: they end
// sooner than the pool's helpers wake (a head's training step on cached
// features is a few such products, tens of thousands of times).
constexpr int64_t kMinParallelMacs = int64_t{1} << 20;

struct Blocking {
  int64_t kc, kBlocks;  // K = kBlocks blocks of kc (the last may be shorter)
  int64_t mc, mTiles, nc, nTiles;
};

int64_t roundUp(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

// tasks: how many tasks the tiles of C should make at least (fewer rows per
// tile where there are many); 1 where the caller already runs in a task.
Blocking chooseBlocking(int64_t M, int64_t N, int64_t K, int64_t tasks) {
  Blocking b;
  b.kBlocks = (K + kMaxKc - 1) / kMaxKc;
  b.kc = roundUp((K + b.kBlocks - 1) / b.kBlocks, 4);
  const int64_t nPanels = (N + NR - 1) / NR;
  b.nTiles = (nPanels * NR + kMaxNc - 1) / kMaxNc;
  b.nc = roundUp((nPanels + b.nTiles - 1) / b.nTiles, 1) * NR;
  // Enough row tiles for every thread to get several, at most 64 rows each
  // (a 64 x kc block of A stays in L2 while the column block is swept).
  const int64_t wanted = std::max<int64_t>(1, tasks / b.nTiles);
  b.mc = std::clamp(roundUp((M + wanted - 1) / wanted, MR), MR, int64_t{64});
  b.mTiles = (M + b.mc - 1) / b.mc;
  return b;
}

// B (K x N, or N x K when transposed) into panels: for each K block p and
// each 8-column panel j, a [kcLen][8] slab, zero-padded past N.
std::vector<float> packB(bool transB, int64_t N, int64_t K, const float* B, const Blocking& b, bool onPool) {
  const int64_t nPanels = (N + NR - 1) / NR, width = nPanels * NR;
  std::vector<float> packed(static_cast<size_t>(K * width));
  parallelForIf(onPool, nPanels, [&](int64_t j0, int64_t j1) {
    for (int64_t p0 = 0; p0 < K; p0 += b.kc) {
      const int64_t kcLen = std::min(b.kc, K - p0);
      for (int64_t j = j0; j < j1; ++j) {
        float* dst = packed.data() + p0 * width + j * kcLen * NR;
        const int64_t n0 = j * NR, cols = std::min(NR, N - n0);
        for (int64_t k = 0; k < kcLen; ++k) {
          float* d = dst + k * NR;
          if (transB) {
            for (int64_t n = 0; n < cols; ++n) d[n] = B[(n0 + n) * K + p0 + k];
          } else {
            std::copy(B + (p0 + k) * N + n0, B + (p0 + k) * N + n0 + cols, d);
          }
          std::fill(d + cols, d + NR, 0.0f);
        }
      }
    }
  });
  return packed;
}

// Every tile of C through the micro-kernel `tile`, split into at least
// `tasks` tasks on the pool where there are that many tiles.
template <TileKernel tile>
void gemmTiles(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, const float* B,
               float beta, float* C, const Epilogue& epilogue, int64_t tasks) {
  const Blocking b = chooseBlocking(M, N, K, tasks);
  const bool onPool = M * N * K >= kMinParallelMacs;
  // Packing B costs a pass over it; with few rows of A to reuse each panel,
  // B's 8-column rows are read in place instead.
  const bool packed = transB || N % NR != 0 || M > 64;
  const std::vector<float> panels = packed ? packB(transB, N, K, B, b, onPool) : std::vector<float>();
  const int64_t width = (N + NR - 1) / NR * NR;
  // A transposed ([K, M]) is read in place too: the micro-kernel broadcasts
  // single elements, which need no contiguous rows.
  const int64_t aRow = transA ? 1 : K, aCol = transA ? M : 1;
  parallelForIf(onPool, b.mTiles * b.nTiles, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t i0 = (t / b.nTiles) * b.mc, i1 = std::min(M, i0 + b.mc);
      const int64_t j0 = (t % b.nTiles) * b.nc, j1 = std::min(N, j0 + b.nc);
      for (int64_t p0 = 0; p0 < K; p0 += b.kc) {
        const int64_t kcLen = std::min(b.kc, K - p0);
        TileStore s{alpha, p0 == 0 ? beta : 1.0f, nullptr, epilogue.lo, epilogue.hi, p0 + kcLen == K};
        for (int64_t i = i0; i < i1; i += MR)
          for (int64_t j = j0; j < j1; j += NR) {
            s.bias = epilogue.bias ? epilogue.bias + j : nullptr;
            TileOperands op{A + i * aRow + p0 * aCol, aRow, aCol, nullptr, NR};
            if (packed) {
              op.b = panels.data() + p0 * width + (j / NR) * kcLen * NR;
            } else {
              op.b = B + p0 * N + j;
              op.ldb = N;
            }
            tile(std::min(MR, i1 - i), std::min(NR, j1 - j), kcLen, op, C + i * N + j, N, s);
          }
      }
    }
  });
}

// A convolution's kernel gradient, xᵀ · dy: A transposed ([K, M] in
// memory) with K the pixels of a batch (up to 100,000 in MobileNetV2 at
// batch 8) and M, N channel counts. Split over K rather than over C's
// tiles: a small C makes few tiles (too few tasks for the threads), and
// each tile's task reads all of B again. Each chunk of K makes a partial
// product of its own, and the partials are added in chunk order: chunks of
// a fixed length, so the result does not depend on the thread count.
constexpr int64_t kSplitK = 4096;

bool splitsK(bool transA, bool transB, int64_t K, const Epilogue& e) {
  return transA && !transB && K >= 2 * kSplitK && !e.bias && e.lo == -std::numeric_limits<float>::infinity() &&
         e.hi == std::numeric_limits<float>::infinity();
}

template <TileKernel tile>
void gemmSplitK(int64_t M, int64_t N, int64_t K, float alpha, const float* A, const float* B, float beta, float* C) {
  const int64_t chunks = (K + kSplitK - 1) / kSplitK, size = M * N;
  std::vector<float> partial(static_cast<size_t>(chunks * size));
  parallelFor(chunks, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c) {
      const int64_t k0 = c * kSplitK, len = std::min(kSplitK, K - k0);
      gemmTiles<tile>(true, false, M, N, len, alpha, A + k0 * M, B + k0 * N, 0.0f, partial.data() + c * size, {}, 1);
    }
  });
  parallelFor(M, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) {
      float* __restrict out = C + i * N;
      for (int64_t j = 0; j < N; ++j) out[j] = beta == 0.0f ? 0.0f : beta * out[j];
      for (int64_t c = 0; c < chunks; ++c) {
        const float* __restrict p = partial.data() + c * size + i * N;
        for (int64_t j = 0; j < N; ++j) out[j] += p[j];
      }
    }
  });
}

// C of at most kNarrowMaxCols columns through the narrow kernel: rows four
// at a time, K in the tiled path's blocks, each block stored as a tile stores it.
template <NarrowKernel narrow>
void gemmNarrow(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, const float* B,
                float beta, float* C, const Epilogue& epilogue) {
  const int64_t kc = chooseBlocking(M, N, K, 1).kc;
  const int64_t aRow = transA ? 1 : K, aCol = transA ? M : 1;
  const int64_t bRow = transB ? 1 : N, bCol = transB ? K : 1;
  parallelForIf(M * N * K >= kMinParallelMacs, (M + MR - 1) / MR, [&](int64_t g0, int64_t g1) {
    for (int64_t g = g0; g < g1; ++g) {
      const int64_t i = g * MR, mr = std::min(MR, M - i);
      for (int64_t p0 = 0; p0 < K; p0 += kc) {
        const int64_t kcLen = std::min(kc, K - p0);
        const TileStore s{alpha, p0 == 0 ? beta : 1.0f, epilogue.bias, epilogue.lo, epilogue.hi, p0 + kcLen == K};
        narrow(mr, N, kcLen, {A + i * aRow + p0 * aCol, aRow, aCol, B + p0 * bRow, bRow, bCol}, C + i * N, N, s);
      }
    }
  });
}

template <TileKernel tile, NarrowKernel narrow>
void gemmWith(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, const float* B,
              float beta, float* C, const Epilogue& epilogue) {
  if (M == 0 || N == 0) return;
  if (K == 0 || alpha == 0.0f) {  // no product: C = clamp(beta * C + bias)
    const TileStore s{0.0f, beta, epilogue.bias, epilogue.lo, epilogue.hi, true};
    for (int64_t i = 0; i < M * N; ++i) C[i] = storeValue(0.0f, &C[i], i % N, s);
    return;
  }
  if (splitsK(transA, transB, K, epilogue)) return gemmSplitK<tile>(M, N, K, alpha, A, B, beta, C);
  if (N <= kNarrowMaxCols) return gemmNarrow<narrow>(transA, transB, M, N, K, alpha, A, B, beta, C, epilogue);
  gemmTiles<tile>(transA, transB, M, N, K, alpha, A, B, beta, C, epilogue, 4 * threadCount());
}

// The one place that picks a micro-kernel: the first entry is what gemm() runs.
constexpr Variant<GemmOps> kVariants[] = {
#ifdef __wasm_relaxed_simd__
    {"gemm_f32_4x8_wasmrelaxed", {gemmWith<gemm_f32_4x8_wasmrelaxed, gemm_f32_4xn<F32x4WasmRelaxed>>}},
#endif
#ifdef __wasm_simd128__
    {"gemm_f32_4x8_wasmsimd", {gemmWith<gemm_f32_4x8_wasmsimd, gemm_f32_4xn<F32x4WasmSimd>>}},
#endif
    {"gemm_f32_4x8_scalar", {gemmWith<gemm_f32_4x8_scalar, gemm_f32_4xn<F32x4Scalar>>}},
};
}  // namespace

void gemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, const float* B,
          float beta, float* C, const Epilogue& epilogue) {
  kVariants[0].ops.gemm(transA, transB, M, N, K, alpha, A, B, beta, C, epilogue);
}

Variants<GemmOps> gemmVariants() { return kVariants; }

}  // namespace tanuki::kernels
