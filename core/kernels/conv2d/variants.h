// The 2D convolution's variants. Its one implementation is im2col (plain
// C++) feeding the GEMM, which picks its own micro-kernel (gemm/variants.h).
#pragma once

#include "kernels/common/variant.h"
#include "kernels/conv2d/conv2d.h"

namespace tanuki::kernels {

struct Conv2DOps {
  void (*forward)(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t filters, float* y,
                  const Epilogue& epilogue);
  void (*backwardInput)(const float* dy, const float* kernel, const Conv2DGeometry& g, int64_t filters, float* dx);
  void (*backwardFilter)(const float* x, const float* dy, const Conv2DGeometry& g, int64_t filters, float* dkernel);
};

Variants<Conv2DOps> conv2dVariants();

}  // namespace tanuki::kernels
