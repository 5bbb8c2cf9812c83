// Eigen's product (no epilogue), kept for the micro-benchmark to measure the
// GEMM against; same contract as gemm().
#pragma once

#include <cstdint>

namespace tanuki::kernels {

void gemmEigen(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, const float* B,
               float beta, float* C);

}  // namespace tanuki::kernels
