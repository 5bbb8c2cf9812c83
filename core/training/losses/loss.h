// Loss: per-sample losses reduced as Keras's default "sum_over_batch_size":
//   loss = Σ_i w_i * l_i / N      (w_i = 1 without sample weights)
// Each loss provides l_i and dl_i/dyPred; the base class does the reduction.
#pragma once

#include <memory>
#include <string>

#include "layers/config/config_reader.h"
#include "tensor/tensor.h"

namespace tanuki {

class Loss {
 public:
  virtual ~Loss() = default;
  virtual std::string name() const = 0;  // Keras's snake_case name
  // Which accuracy "accuracy" means with this loss.
  virtual std::string accuracyMetric() const { return "binary_accuracy"; }

  // Mean loss over the batch; when grad is given, fills dLoss/dyPred.
  float compute(const Tensor& yTrue, const Tensor& yPred, const Tensor* sampleWeight, Tensor* grad) const;
  // Loss of each sample (yPred.dim(0) values).
  std::vector<float> perSampleLosses(const Tensor& yTrue, const Tensor& yPred) const;

 protected:
  // l[i] for each sample; dl (if given, shaped like yPred) = dl_i/dyPred.
  virtual void perSample(const Tensor& yTrue, const Tensor& yPred, float* l, Tensor* dl) const = 0;
  // Default: yTrue must have yPred's shape.
  virtual void checkShapes(const Tensor& yTrue, const Tensor& yPred) const;
};

// By TF.js or Keras name ("meanSquaredError", "mse", "binary_crossentropy", ...),
// with Keras options (from_logits, label_smoothing).
std::shared_ptr<Loss> makeLoss(const std::string& name, const Json& config);

}  // namespace tanuki
