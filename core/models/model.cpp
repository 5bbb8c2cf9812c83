#include "models/model.h"

#include <cmath>
#include <cstring>
#include <iomanip>
#include <sstream>
#include <unordered_set>

#include "util/errors.h"
#include "util/profiler.h"

namespace tanuki {

namespace {
// Applies the compile-time trainable flags for the length of one step and
// restores the current ones afterwards.
class CompiledFlags {
 public:
  explicit CompiledFlags(const std::vector<std::pair<std::weak_ptr<Layer>, bool>>& compiled) {
    for (const auto& [weak, flag] : compiled) {
      if (LayerPtr layer = weak.lock()) {
        saved_.emplace_back(layer, layer->trainable());
        layer->setOwnTrainable(flag);
      }
    }
  }
  ~CompiledFlags() {
    for (const auto& [layer, flag] : saved_) layer->setOwnTrainable(flag);
  }

 private:
  std::vector<std::pair<LayerPtr, bool>> saved_;
};
}  // namespace

void Model::setTrainable(bool trainable) {
  setOwnTrainable(trainable);
  for (auto& layer : layers()) layer->setTrainable(trainable);
}

std::vector<VariablePtr> Model::weights() const {
  std::vector<VariablePtr> out;
  std::unordered_set<const Variable*> seen;
  for (const auto& layer : layers())
    for (auto& w : layer->weights())
      if (seen.insert(w.get()).second) out.push_back(w);
  return out;
}

LayerPtr Model::getLayer(const std::string& name) const {
  for (const auto& layer : layers())
    if (layer->name() == name) return layer;
  fail<ValueError>("model '", this->name(), "' has no layer named '", name, "'");
}

std::string Model::summary(int lineLength) const {
  const int c1 = lineLength * 45 / 100, c2 = lineLength * 33 / 100;
  std::ostringstream out;
  const std::string rule(static_cast<size_t>(lineLength), '_'), thick(static_cast<size_t>(lineLength), '=');
  auto row = [&](const std::string& a, const std::string& b, const std::string& c) {
    out << std::left << std::setw(c1) << a.substr(0, static_cast<size_t>(c1 - 1)) << std::setw(c2)
        << b.substr(0, static_cast<size_t>(c2 - 1)) << c << "\n";
  };
  out << "Model: \"" << name() << "\"\n" << rule << "\n";
  row("Layer (type)", "Output Shape", "Param #");
  out << thick << "\n";
  const auto shapes = layerOutputShapes();
  for (size_t i = 0; i < shapes.size(); ++i) {
    const auto& [layer, shape] = shapes[i];
    std::string shapeText = "(";
    for (size_t k = 0; k < shape.size(); ++k)
      shapeText += (k ? ", " : "") + (shape[k] < 0 ? std::string("None") : std::to_string(shape[k]));
    shapeText += shape.size() == 1 ? ",)" : ")";
    row(layer->name() + " (" + layer->className() + ")", shapeText, std::to_string(layer->countParams()));
    out << (i + 1 == shapes.size() ? thick : rule) << "\n";
  }
  int64_t trainableCount = 0;
  for (auto& w : trainableWeights()) trainableCount += w->value().size();
  const int64_t total = countParams();
  out << "Total params: " << total << "\nTrainable params: " << trainableCount
      << "\nNon-trainable params: " << total - trainableCount << "\n"
      << rule << "\n";
  return out.str();
}

void Model::compile(std::shared_ptr<Optimizer> optimizer, std::shared_ptr<Loss> loss,
                    const std::vector<std::string>& metricNames) {
  if (!optimizer) fail<ValueError>("compile: an optimizer is required");
  if (!loss) fail<ValueError>("compile: a loss is required");
  std::vector<std::shared_ptr<Metric>> metrics;
  for (const auto& m : metricNames) {
    // Keras resolves "accuracy" from the loss and reports it under the name asked for.
    const bool generic = m == "accuracy" || m == "acc";
    metrics.push_back(generic ? makeMetric(loss->accuracyMetric(), Json::object(), m) : makeMetric(m, Json::object()));
  }
  optimizer_ = std::move(optimizer);
  loss_ = std::move(loss);
  metrics_ = std::move(metrics);
  compiledTrainable_.clear();
  for (auto& layer : flattenLayers(shared_from_this())) compiledTrainable_.emplace_back(layer, layer->trainable());
  compiledVariables_ = trainableWeights();
  resetMetrics();
}

void Model::requireCompiled(const char* what) const {
  if (!compiled()) fail<StateError>("model '", name(), "' must be compiled before ", what, "; call compile() first");
}

void Model::checkBatch(const Tensor& x, const Tensor& y, const Tensor* sampleWeight) const {
  if (!x.defined() || !y.defined()) fail<ValueError>("x and y are required");
  if (x.rank() < 1 || y.rank() < 1 || x.dim(0) != y.dim(0))
    fail<ValueError>("x and y must have the same number of samples, got x ", shapeToString(x.shape()), " and y ",
                     shapeToString(y.shape()));
  if (sampleWeight && sampleWeight->size() != x.dim(0))
    fail<ValueError>("expected ", x.dim(0), " sample weights, got ", sampleWeight->size());
}

std::string profileName(const Layer& layer) {
  if (!profiler::enabled() || dynamic_cast<const Model*>(&layer)) return "";
  return layer.className();
}

float Model::trainOnBatch(const Tensor& x, const Tensor& y, const Tensor* sampleWeight) {
  requireCompiled("training");
  checkBatch(x, y, sampleWeight);
  CompiledFlags flags(compiledTrainable_);
  CallContext ctx;
  ctx.training = true;
  ctx.record = true;
  ctx.inputsNeedGrad = {false};
  LayerCall out = apply(std::vector<Tensor>{x}, ctx);
  Tensor dy;
  const float loss = loss_->compute(y, out.output, sampleWeight, &dy);
  Gradients grads;
  if (out.backward) out.backward(dy, grads);
  std::vector<std::pair<VariablePtr, Tensor>> updates;
  for (const auto& v : compiledVariables_)
    if (const Tensor* g = grads.find(v.get())) updates.emplace_back(v, *g);
  // A non-finite loss would poison the weights: refuse the step, leaving them
  // as they were (fit() reports it and stops).
  if (!std::isfinite(loss))
    fail<DivergedError>("the loss became ", loss, "; the step was not applied (try a lower learning rate)");
  {
    profiler::Scope scope(profiler::enabled() ? optimizer_->className() : "", "optimizer");
    optimizer_->applyGradients(updates);
  }
  lossTracker_.add(loss, static_cast<double>(x.dim(0)));
  for (auto& m : metrics_) m->update(y, out.output, sampleWeight);
  return loss;
}

float Model::testOnBatch(const Tensor& x, const Tensor& y, const Tensor* sampleWeight) {
  requireCompiled("evaluation");
  checkBatch(x, y, sampleWeight);
  CallContext ctx;
  const Tensor yPred = apply(std::vector<Tensor>{x}, ctx).output;
  const float loss = loss_->compute(y, yPred, sampleWeight, nullptr);
  lossTracker_.add(loss, static_cast<double>(x.dim(0)));
  for (auto& m : metrics_) m->update(y, yPred, sampleWeight);
  return loss;
}

void Model::withCompiledFlags(const std::function<void()>& fn) {
  CompiledFlags flags(compiledTrainable_);
  fn();
}

void Model::resetMetrics() {
  lossTracker_.reset();
  for (auto& m : metrics_) m->reset();
}

std::vector<std::pair<std::string, double>> Model::metricResults() const {
  std::vector<std::pair<std::string, double>> out{{"loss", lossTracker_.result()}};
  for (const auto& m : metrics_) out.emplace_back(m->name(), m->result());
  return out;
}

Tensor Model::predict(const Tensor& x, int64_t batchSize) {
  if (!x.defined() || x.rank() < 1) fail<ValueError>("predict: x must have a batch dimension");
  if (batchSize <= 0) fail<ValueError>("predict: batchSize must be positive, got ", batchSize);
  const int64_t n = x.dim(0);
  Tensor result;
  for (int64_t start = 0; start < n || (n == 0 && start == 0); start += batchSize) {
    const Tensor batch = (start == 0 && n <= batchSize) ? x : x.slice(start, std::min(n, start + batchSize));
    const Tensor y = apply(std::vector<Tensor>{batch}, CallContext{}).output;
    if (start == 0 && n <= batchSize) return y;
    if (!result.defined()) {
      Shape s = y.shape();
      s[0] = n;
      result = Tensor(s);
    }
    std::memcpy(result.data() + start * (y.size() / y.dim(0)), y.data(), static_cast<size_t>(y.size()) * sizeof(float));
  }
  return result;
}

LossAndGradients Model::computeGradients(const Tensor& x, const Tensor& y, const Loss& loss, bool training,
                                         const Tensor* sampleWeight) {
  checkBatch(x, y, sampleWeight);
  CallContext ctx;
  ctx.training = training;
  ctx.record = true;
  ctx.inputsNeedGrad = {false};
  LayerCall out = apply(std::vector<Tensor>{x}, ctx);
  Tensor dy;
  LossAndGradients result;
  result.loss = loss.compute(y, out.output, sampleWeight, &dy);
  Gradients grads;
  if (out.backward) out.backward(dy, grads);
  for (const auto& v : trainableWeights()) {
    const Tensor* g = grads.find(v.get());
    result.gradients.emplace_back(v, g ? *g : Tensor(v->shape()));
  }
  return result;
}

}  // namespace tanuki
