// The BatchNormalization loops' variants: plain C++ over contiguous channels,
// which the WebAssembly build's compiler vectorizes.
#pragma once

#include "kernels/batch_norm/batch_norm.h"
#include "kernels/common/variant.h"

namespace tanuki::kernels {

struct BatchNormOps {
  void (*channelMeanVariance)(const float* x, int64_t rows, int64_t C, double* mean, double* var);
  void (*channelSums)(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, double* sumA,
                      double* sumAB, const ClampGate* gate);
  void (*affineRows)(const float* x, int64_t rows, int64_t C, const float* scale, const float* shift, float* y,
                     float lo, float hi);
  void (*combineRows)(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, const float* p,
                      const float* q, const float* s, float* out, const ClampGate* gate);
};

Variants<BatchNormOps> batchNormVariants();

}  // namespace tanuki::kernels
