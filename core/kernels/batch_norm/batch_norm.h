// The per-channel loops of BatchNormalization on [rows, C] data (NHWC with
// the pixels flattened): sums over rows and affine maps, in float with
// SIMD-friendly inner loops over contiguous channels. Sums are accumulated
// in float over short runs of rows and carried in double, so long batches
// keep their precision; rows are split over the thread pool.
#pragma once

#include <cstdint>

namespace tanuki::kernels {

// mean[c] and the biased variance var[c] of column c.
void channelMeanVariance(const float* x, int64_t rows, int64_t C, double* mean, double* var);

// sumA[c] = Σ a[r][c]; sumAB[c] = Σ a[r][c] * (b[r][c] - shift[c]) (shift may
// be null: 0; centring b first keeps the sums exact when b's mean is large).
void channelSums(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, double* sumA,
                 double* sumAB);

// y[r][c] = x[r][c] * scale[c] + shift[c] (shift may be null: 0).
void affineRows(const float* x, int64_t rows, int64_t C, const float* scale, const float* shift, float* y);

// out[r][c] = a[r][c] * p[c] + (b[r][c] - shift[c]) * q[c] + s[c].
void combineRows(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, const float* p,
                 const float* q, const float* s, float* out);

}  // namespace tanuki::kernels
