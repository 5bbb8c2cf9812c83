// The pooling kernels' variants: plain C++ loops over contiguous channels,
// which the WebAssembly build's compiler vectorizes.
#pragma once

#include "kernels/common/variant.h"
#include "kernels/pooling/pooling.h"

namespace tanuki::kernels {

struct PoolingOps {
  void (*maxPool)(const float* x, const Conv2DGeometry& g, float* y, int32_t* argmax);
  void (*maxPoolBackward)(const float* dy, const int32_t* argmax, const Conv2DGeometry& g, float* dx);
  void (*avgPool)(const float* x, const Conv2DGeometry& g, float* y);
  void (*avgPoolBackward)(const float* dy, const Conv2DGeometry& g, float* dx);
};

Variants<PoolingOps> poolingVariants();

}  // namespace tanuki::kernels
