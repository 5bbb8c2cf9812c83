// Metric: a stateful accumulator, as in Keras. update() adds a batch, result()
// is the value over everything since reset() (so an epoch's accuracy is over
// all its samples, not a mean of batch means).
#pragma once

#include <memory>
#include <string>

#include "layers/config/config_reader.h"
#include "tensor/tensor.h"

namespace tanuki {

class Metric {
 public:
  virtual ~Metric() = default;
  virtual std::string name() const = 0;
  virtual void update(const Tensor& yTrue, const Tensor& yPred, const Tensor* sampleWeight) = 0;
  virtual double result() const { return count_ > 0 ? total_ / count_ : 0.0; }
  virtual void reset() { total_ = count_ = 0; }

 protected:
  double total_ = 0, count_ = 0;
};

// Weighted mean of values (Keras's loss tracker).
class MeanMetric : public Metric {
 public:
  explicit MeanMetric(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  void update(const Tensor&, const Tensor&, const Tensor*) override {}
  void add(double value, double weight) {
    total_ += value * weight;
    count_ += weight;
  }

 private:
  std::string name_;
};

// Fraction of predictions equal to the target, per prediction row. The three
// Keras flavours differ only in how a row is judged correct.
class AccuracyMetric : public Metric {
 public:
  enum class Kind { Binary, Categorical, SparseCategorical };
  AccuracyMetric(Kind kind, std::string name, float threshold = 0.5f)
      : kind_(kind), name_(std::move(name)), threshold_(threshold) {}
  std::string name() const override { return name_; }
  void update(const Tensor& yTrue, const Tensor& yPred, const Tensor* sampleWeight) override;

 private:
  Kind kind_;
  std::string name_;
  float threshold_;
};

// By Keras/TF.js name: "binary_accuracy"/"binaryAccuracy", "categorical_accuracy",
// "sparse_categorical_accuracy". ("accuracy" is resolved by the model from its loss.)
// displayName, when given, replaces the metric's own name in results.
std::shared_ptr<Metric> makeMetric(const std::string& name, const Json& config, const std::string& displayName = "");

}  // namespace tanuki
