// The GEMM's reference: plain loops with double accumulators, the oracle
// every variant is tested against (never run outside the tests).
//   A: [M, K], or [K, M] when transA; B: [K, N], or [N, K] when transB;
//   C: [M, N], read when beta != 0; epilogue.bias: [N] or none.
#pragma once

#include <cstdint>

#include "kernels/common/epilogue.h"

namespace tanuki::kernels {

void gemmReference(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
                   const float* B, float beta, float* C, const Epilogue& epilogue = {});

}  // namespace tanuki::kernels
