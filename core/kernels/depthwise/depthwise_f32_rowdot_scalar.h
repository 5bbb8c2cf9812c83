// A depthwise weight gradient's inner loop, in plain C++ (native builds):
//   acc[c] += sum over pixels p < count of x[p * xStride + c] * dy[p * C + c], for c < C.
#pragma once

#include <cstdint>

#include "kernels/common/vector_loops.h"

namespace tanuki::kernels {

inline void depthwise_f32_rowdot_scalar(int64_t C, int64_t count, const float* x, int64_t xStride, const float* dy,
                                        float* acc) {
  for (int64_t p = 0; p < count; ++p) multiplyAdd(acc, x + p * xStride, dy + p * C, C);
}

}  // namespace tanuki::kernels
