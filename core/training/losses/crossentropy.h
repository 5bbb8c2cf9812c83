// Cross-entropy losses, as Keras defines them.
//   BinaryCrossentropy:  l_i = mean_j -[t log p + (1-t) log(1-p)]
//   CategoricalCrossentropy: l_i = -Σ_j t_ij log p_ij  (p normalised to sum 1)
//   SparseCategoricalCrossentropy: the same with integer class labels.
// With fromLogits the predictions are logits and the stable forms are used;
// otherwise probabilities are clipped to [1e-7, 1 - 1e-7] like Keras.
#pragma once

#include "training/losses/loss.h"

namespace tanuki {

class BinaryCrossentropy : public Loss {
 public:
  BinaryCrossentropy(bool fromLogits, float labelSmoothing) : fromLogits_(fromLogits), smoothing_(labelSmoothing) {}
  std::string name() const override { return "binary_crossentropy"; }

 protected:
  void perSample(const Tensor& yTrue, const Tensor& yPred, float* l, Tensor* dl) const override;

 private:
  bool fromLogits_;
  float smoothing_;
};

class CategoricalCrossentropy : public Loss {
 public:
  CategoricalCrossentropy(bool fromLogits, float labelSmoothing)
      : fromLogits_(fromLogits), smoothing_(labelSmoothing) {}
  std::string name() const override { return "categorical_crossentropy"; }
  std::string accuracyMetric() const override { return "categorical_accuracy"; }

 protected:
  void perSample(const Tensor& yTrue, const Tensor& yPred, float* l, Tensor* dl) const override;

 private:
  bool fromLogits_;
  float smoothing_;
};

class SparseCategoricalCrossentropy : public Loss {
 public:
  explicit SparseCategoricalCrossentropy(bool fromLogits) : fromLogits_(fromLogits) {}
  std::string name() const override { return "sparse_categorical_crossentropy"; }
  std::string accuracyMetric() const override { return "sparse_categorical_accuracy"; }

 protected:
  void perSample(const Tensor& yTrue, const Tensor& yPred, float* l, Tensor* dl) const override;
  void checkShapes(const Tensor& yTrue, const Tensor& yPred) const override;

 private:
  bool fromLogits_;
};

// Class index of a sparse label, checked against the number of classes.
int64_t sparseLabel(float value, int64_t classes);

}  // namespace tanuki
