#include "kernels/batch_norm/batch_norm_reference.h"

#include <algorithm>

namespace tanuki::kernels {

void channelMeanVarianceReference(const float* x, int64_t rows, int64_t C, double* mean, double* var) {
  std::fill(mean, mean + C, 0.0);
  std::fill(var, var + C, 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < C; ++c) mean[c] += x[r * C + c];
  for (int64_t c = 0; c < C; ++c) mean[c] /= static_cast<double>(rows);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < C; ++c) var[c] += (x[r * C + c] - mean[c]) * (x[r * C + c] - mean[c]);
  for (int64_t c = 0; c < C; ++c) var[c] /= static_cast<double>(rows);
}

namespace {
// a, or 0 where the gate (if any) does not pass for b. The gate's affine map
// is evaluated in float, as the forward pass computed the clamped value.
double gated(float a, float b, int64_t c, const ClampGate* gate) {
  if (!gate) return a;
  const float v = b * gate->scale[c] + gate->shift[c];
  return v >= gate->lo && v < gate->hi ? a : 0.0;
}
}  // namespace

void channelSumsReference(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, double* sumA,
                          double* sumAB, const ClampGate* gate) {
  std::fill(sumA, sumA + C, 0.0);
  std::fill(sumAB, sumAB + C, 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < C; ++c) {
      const double g = gated(a[r * C + c], b[r * C + c], c, gate);
      sumA[c] += g;
      sumAB[c] += g * (double{b[r * C + c]} - (shift ? shift[c] : 0.0));
    }
}

void affineRowsReference(const float* x, int64_t rows, int64_t C, const float* scale, const float* shift, float* y,
                         float lo, float hi) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < C; ++c) {
      const double v = double{x[r * C + c]} * scale[c] + (shift ? shift[c] : 0.0);
      y[r * C + c] = static_cast<float>(std::min<double>(std::max<double>(v, lo), hi));
    }
}

void combineRowsReference(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, const float* p,
                          const float* q, const float* s, float* out, const ClampGate* gate) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < C; ++c) {
      const int64_t i = r * C + c;
      out[i] = static_cast<float>(gated(a[i], b[i], c, gate) * p[c] + (double{b[i]} - shift[c]) * q[c] + s[c]);
    }
}

}  // namespace tanuki::kernels
