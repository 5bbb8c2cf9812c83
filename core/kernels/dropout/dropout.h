// Dropout's mask and product: y = x * m, with m = 0 for a dropped value and
// 1 / (1 - rate) for a kept one. Each value's 32 random bits come from a
// counter-based hash of its index keyed by the call's 64-bit seed, so the
// mask is the same however it is computed (four values at a time in the
// WebAssembly SIMD variant) and the backward pass draws it again from the
// seed alone instead of keeping a mask as large as x.
#pragma once

#include <cstdint>

namespace tanuki::kernels {

struct DropoutMask {
  uint64_t seed;
  uint32_t threshold;  // a value is dropped when its 32 random bits fall below this (rate * 2^32)
  float keepScale;     // 1 / (1 - rate)
};

// The mask of rate `rate` (in [0, 1)) seeded with `seed`.
DropoutMask dropoutMask(uint64_t seed, double rate);

// The 32 random bits of value i: MurmurHash3's 32-bit finalizer over the
// index plus the seed's low half, then over that xor the seed's high half
// (and the index's high half).
uint32_t dropoutBits(uint64_t seed, uint64_t i);

// out[i] = in[i] * m[i] for i in [0, n): a product even where m is 0, so a
// NaN or an infinity stays one, as Keras's x * mask keeps it. out may be in.
void dropoutMultiply(const DropoutMask& mask, const float* in, float* out, int64_t n);

}  // namespace tanuki::kernels
