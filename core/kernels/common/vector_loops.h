// The element-wise inner loops of the NHWC kernels, over contiguous floats
// with no aliasing. Written as fixed blocks of 8 plus a scalar tail because
// GCC at -O2 vectorizes only loops whose trip count it can split exactly;
// clang (the WebAssembly build) vectorizes either form.
#pragma once

#include <cstdint>

namespace tanuki::kernels {

// out[i] += a[i] * b[i] for i < n
inline void multiplyAdd(float* __restrict out, const float* __restrict a, const float* __restrict b, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int64_t j = 0; j < 8; ++j) out[i + j] += a[i + j] * b[i + j];
  for (; i < n; ++i) out[i] += a[i] * b[i];
}

// out[i] += a[i] for i < n
inline void addInto(float* __restrict out, const float* __restrict a, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int64_t j = 0; j < 8; ++j) out[i + j] += a[i + j];
  for (; i < n; ++i) out[i] += a[i];
}

// out[i] += scale * a[i] for i < n
inline void scaleAdd(float* __restrict out, const float* __restrict a, float scale, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int64_t j = 0; j < 8; ++j) out[i + j] += scale * a[i + j];
  for (; i < n; ++i) out[i] += scale * a[i];
}

}  // namespace tanuki::kernels
