// Dropout's variants: one value at a time in C++, and four at a time in
// WebAssembly SIMD (the 32-bit multiplies and shifts of the hash in lanes).
#pragma once

#include "kernels/common/variant.h"
#include "kernels/dropout/dropout.h"

namespace tanuki::kernels {

struct DropoutOps {
  void (*multiply)(const DropoutMask& mask, const float* in, float* out, int64_t n);
};

Variants<DropoutOps> dropoutVariants();

}  // namespace tanuki::kernels
