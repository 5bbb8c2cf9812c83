#include "training/losses/crossentropy.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "util/errors.h"

namespace tanuki {

namespace {
constexpr float kEps = 1e-7f;

// Log-softmax of one row into out; returns nothing, out[j] = z_j - logsumexp(z).
void logSoftmax(const float* z, float* out, int64_t d) {
  const float m = *std::max_element(z, z + d);
  double s = 0;
  for (int64_t j = 0; j < d; ++j) s += std::exp(static_cast<double>(z[j] - m));
  const float lse = m + static_cast<float>(std::log(s));
  for (int64_t j = 0; j < d; ++j) out[j] = z[j] - lse;
}
}  // namespace

int64_t sparseLabel(float value, int64_t classes) {
  const auto label = static_cast<int64_t>(value);
  if (static_cast<float>(label) != value || label < 0 || label >= classes)
    fail<ValueError>("sparse label ", value, " is not a class index in [0, ", classes, ")");
  return label;
}

void BinaryCrossentropy::perSample(const Tensor& yTrue, const Tensor& yPred, float* l, Tensor* dl) const {
  const int64_t n = yPred.dim(0);
  const int64_t d = n ? yPred.size() / n : 0;
  for (int64_t i = 0; i < n; ++i) {
    double s = 0;
    for (int64_t j = 0; j < d; ++j) {
      const int64_t k = i * d + j;
      const float t = yTrue[k] * (1 - smoothing_) + 0.5f * smoothing_;
      if (fromLogits_) {
        // max(z, 0) - z t + log(1 + exp(-|z|)); d/dz = sigmoid(z) - t
        const float z = yPred[k];
        s += std::max(z, 0.0f) - z * t + std::log1p(std::exp(-std::fabs(z)));
        if (dl) (*dl)[k] = (1.0f / (1.0f + std::exp(-z)) - t) / static_cast<float>(d);
      } else {
        const float raw = yPred[k];
        const float p = std::min(std::max(raw, kEps), 1 - kEps);
        s += -(t * std::log(p) + (1 - t) * std::log(1 - p));
        const bool clipped = raw < kEps || raw > 1 - kEps;
        if (dl) (*dl)[k] = clipped ? 0.0f : (-t / p + (1 - t) / (1 - p)) / static_cast<float>(d);
      }
    }
    l[i] = static_cast<float>(s / static_cast<double>(d));
  }
}

void CategoricalCrossentropy::perSample(const Tensor& yTrue, const Tensor& yPred, float* l, Tensor* dl) const {
  const int64_t n = yPred.dim(0);
  const int64_t d = yPred.shape().back();
  const int64_t rows = d ? yPred.size() / d : 0;
  std::vector<float> t(static_cast<size_t>(d)), logp(static_cast<size_t>(d));
  // Rows beyond the batch axis (e.g. sequences) are averaged into their sample.
  const int64_t rowsPerSample = n ? rows / n : 0;
  for (int64_t i = 0; i < n; ++i) l[i] = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const float* yt = yTrue.data() + r * d;
    const float* yp = yPred.data() + r * d;
    for (int64_t j = 0; j < d; ++j) t[j] = yt[j] * (1 - smoothing_) + smoothing_ / static_cast<float>(d);
    double loss = 0, tSum = 0;
    for (int64_t j = 0; j < d; ++j) tSum += t[j];
    if (fromLogits_) {
      logSoftmax(yp, logp.data(), d);
      for (int64_t j = 0; j < d; ++j) loss -= t[j] * logp[j];
      if (dl)  // d/dz_j = softmax_j * Σt - t_j
        for (int64_t j = 0; j < d; ++j)
          (*dl)[r * d + j] = (std::exp(logp[j]) * static_cast<float>(tSum) - t[j]) / static_cast<float>(rowsPerSample);
    } else {
      double sum = 0;
      for (int64_t j = 0; j < d; ++j) sum += yp[j];
      if (!(sum > 0)) sum = kEps;
      // l = -Σ t_j log(clip(p_j / S)); d/dp_j = -t_j / p_j + Σ_k t_k / S (unclipped entries)
      double tUnclipped = 0;
      for (int64_t j = 0; j < d; ++j) {
        const float q = static_cast<float>(yp[j] / sum);
        const float qc = std::min(std::max(q, kEps), 1 - kEps);
        loss -= t[j] * std::log(qc);
        if (q == qc) tUnclipped += t[j];
      }
      if (dl)
        for (int64_t j = 0; j < d; ++j) {
          const float q = static_cast<float>(yp[j] / sum);
          const bool clipped = q < kEps || q > 1 - kEps;
          const double direct = clipped ? 0.0 : -t[j] / std::max(yp[j], 1e-30f);
          (*dl)[r * d + j] = static_cast<float>((direct + tUnclipped / sum) / static_cast<double>(rowsPerSample));
        }
    }
    l[r / rowsPerSample] += static_cast<float>(loss / static_cast<double>(rowsPerSample));
  }
}

void SparseCategoricalCrossentropy::checkShapes(const Tensor& yTrue, const Tensor& yPred) const {
  const int64_t classes = yPred.rank() ? yPred.shape().back() : 0;
  if (yPred.rank() < 2 || classes <= 0 || yTrue.size() * classes != yPred.size())
    fail<ValueError>(name(), ": targets of shape ", shapeToString(yTrue.shape()), " do not fit predictions of shape ",
                     shapeToString(yPred.shape()), " (expected one integer class index per prediction row)");
}

void SparseCategoricalCrossentropy::perSample(const Tensor& yTrue, const Tensor& yPred, float* l, Tensor* dl) const {
  const int64_t n = yPred.dim(0);
  const int64_t d = yPred.shape().back();
  const int64_t rows = yTrue.size();
  const int64_t rowsPerSample = n ? rows / n : 0;
  std::vector<float> logp(static_cast<size_t>(d));
  for (int64_t i = 0; i < n; ++i) l[i] = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t label = sparseLabel(yTrue[r], d);
    const float* yp = yPred.data() + r * d;
    float loss;
    if (fromLogits_) {
      logSoftmax(yp, logp.data(), d);
      loss = -logp[label];
      if (dl)
        for (int64_t j = 0; j < d; ++j)
          (*dl)[r * d + j] = (std::exp(logp[j]) - (j == label ? 1.0f : 0.0f)) / static_cast<float>(rowsPerSample);
    } else {
      double sum = 0;
      for (int64_t j = 0; j < d; ++j) sum += yp[j];
      if (!(sum > 0)) sum = kEps;
      const float q = static_cast<float>(yp[label] / sum);
      const float qc = std::min(std::max(q, kEps), 1 - kEps);
      loss = -std::log(qc);
      if (dl) {
        const bool clipped = q != qc;
        for (int64_t j = 0; j < d; ++j) {
          const double direct = (j == label && !clipped) ? -1.0 / std::max(yp[j], 1e-30f) : 0.0;
          (*dl)[r * d + j] =
              static_cast<float>((direct + (clipped ? 0.0 : 1.0 / sum)) / static_cast<double>(rowsPerSample));
        }
      }
    }
    l[r / rowsPerSample] += loss / static_cast<float>(rowsPerSample);
  }
}

}  // namespace tanuki
