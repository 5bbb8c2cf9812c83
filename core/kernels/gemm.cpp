#include "kernels/gemm.h"

#include <Eigen/Core>

namespace tanuki::kernels {

namespace {
using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMajor>;
using Map = Eigen::Map<RowMajor>;
}  // namespace

void gemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, const float* B,
          float beta, float* C) {
  if (M == 0 || N == 0) return;
  Map c(C, M, N);
  if (beta == 0.0f) {
    c.setZero();
  } else if (beta != 1.0f) {
    c *= beta;
  }
  if (K == 0) return;
  // Eigen picks its blocked kernels for each combination of transposes.
  if (!transA && !transB) {
    c.noalias() += alpha * ConstMap(A, M, K) * ConstMap(B, K, N);
  } else if (transA && !transB) {
    c.noalias() += alpha * ConstMap(A, K, M).transpose() * ConstMap(B, K, N);
  } else if (!transA && transB) {
    c.noalias() += alpha * ConstMap(A, M, K) * ConstMap(B, N, K).transpose();
  } else {
    c.noalias() += alpha * ConstMap(A, K, M).transpose() * ConstMap(B, N, K).transpose();
  }
}

}  // namespace tanuki::kernels
