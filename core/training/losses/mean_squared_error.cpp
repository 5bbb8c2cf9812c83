#include "training/losses/mean_squared_error.h"

namespace tanuki {

void MeanSquaredError::perSample(const Tensor& yTrue, const Tensor& yPred, float* l, Tensor* dl) const {
  const int64_t n = yPred.dim(0);
  const int64_t d = n ? yPred.size() / n : 0;
  for (int64_t i = 0; i < n; ++i) {
    double s = 0;
    for (int64_t j = 0; j < d; ++j) {
      const float diff = yPred[i * d + j] - yTrue[i * d + j];
      s += diff * diff;
      if (dl) (*dl)[i * d + j] = 2.0f * diff / static_cast<float>(d);
    }
    l[i] = static_cast<float>(s / static_cast<double>(d));
  }
}

}  // namespace tanuki
