#include "kernels/gemm/gemm_reference.h"

#include <algorithm>

namespace tanuki::kernels {

void gemmReference(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
                   const float* B, float beta, float* C, const Epilogue& epilogue) {
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      double sum = 0;
      for (int64_t k = 0; k < K; ++k)
        sum += static_cast<double>(transA ? A[k * M + i] : A[i * K + k]) * (transB ? B[j * K + k] : B[k * N + j]);
      float v = alpha * static_cast<float>(sum) + (beta == 0.0f ? 0.0f : beta * C[i * N + j]);
      if (epilogue.bias) v += epilogue.bias[j];
      C[i * N + j] = std::min(std::max(v, epilogue.lo), epilogue.hi);
    }
}

}  // namespace tanuki::kernels
