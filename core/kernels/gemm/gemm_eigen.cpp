#include "kernels/gemm/gemm_eigen.h"

#include <Eigen/Core>

namespace tanuki::kernels {

void gemmEigen(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, const float* B,
               float beta, float* C) {
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using ConstMap = Eigen::Map<const RowMajor>;
  if (M == 0 || N == 0) return;
  Eigen::Map<RowMajor> c(C, M, N);
  if (beta == 0.0f) {
    c.setZero();
  } else if (beta != 1.0f) {
    c *= beta;
  }
  if (K == 0) return;
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
