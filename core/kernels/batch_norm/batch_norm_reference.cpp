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

void channelSumsReference(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, double* sumA,
                          double* sumAB) {
  std::fill(sumA, sumA + C, 0.0);
  std::fill(sumAB, sumAB + C, 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < C; ++c) {
      sumA[c] += a[r * C + c];
      sumAB[c] += double{a[r * C + c]} * (double{b[r * C + c]} - (shift ? shift[c] : 0.0));
    }
}

void affineRowsReference(const float* x, int64_t rows, int64_t C, const float* scale, const float* shift, float* y) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < C; ++c)
      y[r * C + c] = static_cast<float>(double{x[r * C + c]} * scale[c] + (shift ? shift[c] : 0.0));
}

void combineRowsReference(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, const float* p,
                          const float* q, const float* s, float* out) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < C; ++c) {
      const int64_t i = r * C + c;
      out[i] = static_cast<float>(double{a[i]} * p[c] + (double{b[i]} - shift[c]) * q[c] + s[c]);
    }
}

}  // namespace tanuki::kernels
