// General matrix multiply on row-major float32 matrices:
//   C[M,N] = clamp(alpha * op(A) * op(B) + beta * C + bias, lo, hi)
// where op(A) is A[M,K] or, transposed, A stored as [K,M] (likewise B); the
// bias (over N) and the clamp are an optional epilogue, which fuses a
// convolution's bias and ReLU/ReLU6 into the product's stores.
// This is the one entry point every dense product goes through (Dense, 1x1
// convolutions, im2col convolutions and their gradients).
#pragma once

#include <cstdint>

#include "kernels/common/epilogue.h"

namespace tanuki::kernels {

// Blocked and register-tiled (a 4x8 micro-kernel, WebAssembly SIMD when the
// build has it; see variants.h), split over the thread pool.
void gemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, const float* B,
          float beta, float* C, const Epilogue& epilogue = {});

}  // namespace tanuki::kernels
