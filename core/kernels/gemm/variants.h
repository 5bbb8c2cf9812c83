// The GEMM's variants: the same blocked driver around each micro-kernel.
#pragma once

#include "kernels/common/variant.h"
#include "kernels/gemm/gemm.h"

namespace tanuki::kernels {

struct GemmOps {
  void (*gemm)(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, const float* B,
               float beta, float* C, const Epilogue& epilogue);
};

Variants<GemmOps> gemmVariants();

}  // namespace tanuki::kernels
