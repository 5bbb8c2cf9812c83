// One output pixel of a depthwise convolution from its indirection table, in
// plain C++ (native builds):
//   out[c] = clamp(bias[c] + sum over t < taps of in[t][c] * w[t][c], lo, hi) for c < C,
// in[t]: the input pixel under tap t (or a row of zeros), w[t]: tap t's weights.
#pragma once

#include <algorithm>
#include <cstdint>

#include "kernels/common/epilogue.h"

namespace tanuki::kernels {

inline void depthwise_f32_taps_scalar(int64_t C, int taps, const float* const* in, const float* const* w,
                                      const Epilogue& ep, float* out) {
  for (int64_t c = 0; c < C; ++c) {
    float acc = ep.bias ? ep.bias[c] : 0.0f;
    for (int t = 0; t < taps; ++t) acc += in[t][c] * w[t][c];
    out[c] = std::min(std::max(acc, ep.lo), ep.hi);
  }
}

}  // namespace tanuki::kernels
