// The depthwise convolution's variants: the same drivers around each set of
// micro-kernels (indirection-table taps, row dot products, the 3x3 kernel).
#pragma once

#include "kernels/common/variant.h"
#include "kernels/depthwise/depthwise_conv.h"

namespace tanuki::kernels {

struct DepthwiseOps {
  void (*forward)(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t multiplier, float* y,
                  const Epilogue& epilogue);
  void (*backwardInput)(const float* dy, const float* kernel, const Conv2DGeometry& g, int64_t multiplier, float* dx);
  void (*backwardFilter)(const float* x, const float* dy, const Conv2DGeometry& g, int64_t multiplier, float* dkernel);
};

Variants<DepthwiseOps> depthwiseVariants();

}  // namespace tanuki::kernels
