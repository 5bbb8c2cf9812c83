// Model: a layer made of layers (Keras's Model). It adds:
//   - recursive `trainable` (freezing a model freezes every layer inside);
//   - weights gathered from its layers, each once;
//   - compile / trainOnBatch / testOnBatch / predict, the primitives the
//     JavaScript fit() and evaluate() loops are built on.
//
// compile() captures every layer's trainable flag, and training steps run
// with those flags until the next compile(), as Keras documents: "the
// trainable attribute values at the time the model is compiled should be
// preserved throughout the lifetime of that model, until compile is called
// again".
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "layers/layer.h"
#include "training/losses/loss.h"
#include "training/metrics/metric.h"
#include "training/optimizers/optimizer.h"

namespace tanuki {

struct LossAndGradients {
  float loss = 0;
  std::vector<std::pair<VariablePtr, Tensor>> gradients;  // in trainableWeights order
};

// What the profiler counts a call of this layer as: its class; nothing for a
// model, whose own layers are counted one by one inside it, or when the
// profiler is off.
std::string profileName(const Layer& layer);

class Model : public Layer {
 public:
  using Layer::Layer;

  void setTrainable(bool trainable) override;
  std::vector<VariablePtr> weights() const override;
  // The layers, in order (a functional model lists its InputLayers too).
  virtual std::vector<LayerPtr> layers() const = 0;
  std::vector<LayerPtr> sublayers() const override { return layers(); }
  // Throws ValueError naming the missing layer.
  LayerPtr getLayer(const std::string& name) const;
  // Each layer with its output shape, for summary().
  virtual std::vector<std::pair<LayerPtr, Shape>> layerOutputShapes() const = 0;
  // Keras-style table with Total / Trainable / Non-trainable params.
  std::string summary(int lineLength = 80) const;

  // --- training ---------------------------------------------------------------
  // metricNames may include "accuracy"/"acc", resolved from the loss as Keras does.
  void compile(std::shared_ptr<Optimizer> optimizer, std::shared_ptr<Loss> loss,
               const std::vector<std::string>& metricNames);
  bool compiled() const { return static_cast<bool>(optimizer_); }
  const std::shared_ptr<Optimizer>& optimizer() const { return optimizer_; }
  const std::shared_ptr<Loss>& loss() const { return loss_; }

  // One gradient step on a batch; updates the running metrics; returns the
  // batch loss. Throws DivergedError, weights untouched, when the loss or the
  // updated weights would not be finite.
  float trainOnBatch(const Tensor& x, const Tensor& y, const Tensor* sampleWeight = nullptr);
  // Loss and metrics on a batch in inference mode, added to the running metrics.
  float testOnBatch(const Tensor& x, const Tensor& y, const Tensor* sampleWeight = nullptr);
  void resetMetrics();
  // Runs fn with every layer's trainable flag as compile() captured it.
  void withCompiledFlags(const std::function<void()>& fn);
  // ("loss", value), then each compiled metric, over the batches since resetMetrics().
  std::vector<std::pair<std::string, double>> metricResults() const;

  // Inference in batches of batchSize, training=false.
  Tensor predict(const Tensor& x, int64_t batchSize = 32);
  // For custom training loops: forward (training as given), loss, backward;
  // gradients for the current trainableWeights.
  LossAndGradients computeGradients(const Tensor& x, const Tensor& y, const Loss& loss, bool training = true,
                                    const Tensor* sampleWeight = nullptr);

 private:
  void requireCompiled(const char* what) const;
  void checkBatch(const Tensor& x, const Tensor& y, const Tensor* sampleWeight) const;

  std::shared_ptr<Optimizer> optimizer_;
  std::shared_ptr<Loss> loss_;
  std::vector<std::shared_ptr<Metric>> metrics_;
  MeanMetric lossTracker_{"loss"};
  // Captured by compile(): every layer's flag, and the variables to update.
  // Weak: the list includes this model itself, and must not keep it alive.
  std::vector<std::pair<std::weak_ptr<Layer>, bool>> compiledTrainable_;
  std::vector<VariablePtr> compiledVariables_;
};

using ModelPtr = std::shared_ptr<Model>;

}  // namespace tanuki
