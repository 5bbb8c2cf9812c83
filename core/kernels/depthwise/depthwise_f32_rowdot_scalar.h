// A depthwise weight gradient's inner loops, in plain C++ (native builds):
//   acc[c] += sum over pixels p < count of x[p * xStride + c] * dy[p * C + c], for c < C.
#pragma once

#include <cstdint>

#include "kernels/common/vector_loops.h"

namespace tanuki::kernels {

inline void depthwise_f32_rowdot_scalar(int64_t C, int64_t count, const float* x, int64_t xStride, const float* dy,
                                        float* acc) {
  for (int64_t p = 0; p < count; ++p) multiplyAdd(acc, x + p * xStride, dy + p * C, C);
}

// Three neighbouring taps of a kernel row at once (a 3-wide kernel), each
// dy loaded once for all three:
//   acc[t * C + c] += sum over p < count of x[p * xStride + t * C + c] * dy[p * C + c], for t < 3.
inline void depthwise_f32_rowdot3_scalar(int64_t C, int64_t count, const float* x, int64_t xStride, const float* dy,
                                         float* acc) {
  for (int64_t t = 0; t < 3; ++t) depthwise_f32_rowdot_scalar(C, count, x + t * C, xStride, dy, acc + t * C);
}

}  // namespace tanuki::kernels
