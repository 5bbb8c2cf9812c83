// General matrix multiply on row-major float32 matrices:
//   C[M,N] = alpha * op(A) * op(B) + beta * C
// where op(A) is A[M,K] or, transposed, A stored as [K,M] (likewise B).
// This is the one entry point every dense product goes through (Dense, 1x1
// convolutions, im2col convolutions and their gradients).
#pragma once

#include <cstdint>

namespace tanuki::kernels {

void gemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, const float* B,
          float beta, float* C);

}  // namespace tanuki::kernels
