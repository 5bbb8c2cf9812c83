// The BatchNormalization loops' reference: one row at a time, everything in
// double; the oracle the variants are tested against (never run outside the
// tests). Same contracts as batch_norm.h: x, a, b, y, out: [rows, C];
// mean, var, sumA, sumAB, scale, shift, p, q, s: [C].
#pragma once

#include <cstdint>
#include <limits>

#include "kernels/batch_norm/batch_norm.h"

namespace tanuki::kernels {

void channelMeanVarianceReference(const float* x, int64_t rows, int64_t C, double* mean, double* var);
void channelSumsReference(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, double* sumA,
                          double* sumAB, const ClampGate* gate = nullptr);
void affineRowsReference(const float* x, int64_t rows, int64_t C, const float* scale, const float* shift, float* y,
                         float lo = -std::numeric_limits<float>::infinity(),
                         float hi = std::numeric_limits<float>::infinity());
void combineRowsReference(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, const float* p,
                          const float* q, const float* s, float* out, const ClampGate* gate = nullptr);

}  // namespace tanuki::kernels
