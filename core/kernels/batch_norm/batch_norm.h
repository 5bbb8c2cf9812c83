// The per-channel loops of BatchNormalization on [rows, C] data (NHWC with
// the pixels flattened): sums over rows and affine maps, in float with
// SIMD-friendly inner loops over contiguous channels. Sums are accumulated
// in float over short runs of rows and carried in double, so long batches
// keep their precision; rows are split over the thread pool.
#pragma once

#include <cstdint>
#include <limits>

namespace tanuki::kernels {

// A clamp to [lo, hi] applied after y = x * scale + shift (a ReLU that
// BatchNormalization computes itself in training, saving the ReLU's passes
// over the activations each way), seen from the backward pass: the gradient
// passes where lo <= x * scale + shift < hi, as ReLU's does, and is 0
// elsewhere. x * scale + shift is recomputed exactly as affineRows computed it.
struct ClampGate {
  const float* scale;
  const float* shift;
  float lo, hi;
};

// mean[c] and the biased variance var[c] of column c.
void channelMeanVariance(const float* x, int64_t rows, int64_t C, double* mean, double* var);

// sumA[c] = Σ a[r][c]; sumAB[c] = Σ a[r][c] * (b[r][c] - shift[c]) (shift may
// be null: 0; centring b first keeps the sums exact when b's mean is large).
// With a gate, a[r][c] counts only where the gate passes for b[r][c].
void channelSums(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, double* sumA,
                 double* sumAB, const ClampGate* gate = nullptr);

// y[r][c] = x[r][c] * scale[c] + shift[c] (shift may be null: 0), clamped to [lo, hi].
void affineRows(const float* x, int64_t rows, int64_t C, const float* scale, const float* shift, float* y,
                float lo = -std::numeric_limits<float>::infinity(), float hi = std::numeric_limits<float>::infinity());

// out[r][c] = a[r][c] * p[c] + (b[r][c] - shift[c]) * q[c] + s[c]; with a
// gate, a[r][c] is taken as 0 where the gate does not pass for b[r][c].
void combineRows(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, const float* p,
                 const float* q, const float* s, float* out, const ClampGate* gate = nullptr);

}  // namespace tanuki::kernels
