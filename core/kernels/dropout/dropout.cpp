#include "kernels/dropout/dropout.h"

#include <cstring>

#include "kernels/dropout/variants.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace tanuki::kernels {

namespace {

constexpr uint32_t kMix1 = 0x85ebca6bu, kMix2 = 0xc2b2ae35u;

uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= kMix1;
  h ^= h >> 13;
  h *= kMix2;
  h ^= h >> 16;
  return h;
}

float bitsToFloat(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// m[i] as 0 or keepScale chosen by masking keepScale's bits: a branch on
// random bits is mispredicted half the time (natively 5x slower).
float factor(const DropoutMask& mask, uint32_t keepBits, uint64_t i) {
  const uint32_t kept = dropoutBits(mask.seed, i) < mask.threshold ? 0u : ~0u;
  return bitsToFloat(keepBits & kept);
}

uint32_t keepBitsOf(const DropoutMask& mask) {
  uint32_t bits;
  std::memcpy(&bits, &mask.keepScale, sizeof bits);
  return bits;
}

void dropout_f32_scalar(const DropoutMask& mask, const float* in, float* out, int64_t n) {
  const uint32_t keepBits = keepBitsOf(mask);
  for (int64_t i = 0; i < n; ++i) out[i] = in[i] * factor(mask, keepBits, static_cast<uint64_t>(i));
}

#ifdef __wasm_simd128__
v128_t fmix32x4(v128_t h) {
  h = wasm_v128_xor(h, wasm_u32x4_shr(h, 16));
  h = wasm_i32x4_mul(h, wasm_i32x4_splat(static_cast<int32_t>(kMix1)));
  h = wasm_v128_xor(h, wasm_u32x4_shr(h, 13));
  h = wasm_i32x4_mul(h, wasm_i32x4_splat(static_cast<int32_t>(kMix2)));
  return wasm_v128_xor(h, wasm_u32x4_shr(h, 16));
}

void dropout_f32_wasmsimd(const DropoutMask& mask, const float* in, float* out, int64_t n) {
  // WebAssembly's memory holds fewer than 2^32 floats: the index's high half is 0.
  const uint32_t lo = static_cast<uint32_t>(mask.seed), hi = static_cast<uint32_t>(mask.seed >> 32);
  const v128_t vlo = wasm_i32x4_splat(static_cast<int32_t>(lo)), vhi = wasm_i32x4_splat(static_cast<int32_t>(hi));
  const v128_t threshold = wasm_i32x4_splat(static_cast<int32_t>(mask.threshold));
  const v128_t keep = wasm_f32x4_splat(mask.keepScale);
  v128_t index = wasm_i32x4_make(0, 1, 2, 3);
  const v128_t four = wasm_i32x4_splat(4);
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t bits = fmix32x4(wasm_v128_xor(fmix32x4(wasm_i32x4_add(index, vlo)), vhi));
    const v128_t m = wasm_v128_and(keep, wasm_u32x4_ge(bits, threshold));
    wasm_v128_store(out + i, wasm_f32x4_mul(wasm_v128_load(in + i), m));
    index = wasm_i32x4_add(index, four);
  }
  const uint32_t keepBits = keepBitsOf(mask);
  for (; i < n; ++i) out[i] = in[i] * factor(mask, keepBits, static_cast<uint64_t>(i));
}
#endif

// The one place that picks a variant: the first entry is what dropoutMultiply() runs.
constexpr Variant<DropoutOps> kVariants[] = {
#ifdef __wasm_simd128__
    {"dropout_f32_wasmsimd", {dropout_f32_wasmsimd}},
#endif
    {"dropout_f32_scalar", {dropout_f32_scalar}},
};

}  // namespace

DropoutMask dropoutMask(uint64_t seed, double rate) {
  return {seed, static_cast<uint32_t>(rate * 4294967296.0), static_cast<float>(1.0 / (1.0 - rate))};
}

uint32_t dropoutBits(uint64_t seed, uint64_t i) {
  const uint32_t lo = static_cast<uint32_t>(seed), hi = static_cast<uint32_t>(seed >> 32);
  return fmix32(fmix32(static_cast<uint32_t>(i) + lo) ^ hi ^ static_cast<uint32_t>(i >> 32));
}

void dropoutMultiply(const DropoutMask& mask, const float* in, float* out, int64_t n) {
  kVariants[0].ops.multiply(mask, in, out, n);
}

Variants<DropoutOps> dropoutVariants() { return kVariants; }

}  // namespace tanuki::kernels
