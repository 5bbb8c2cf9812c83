// compile / trainOnBatch / testOnBatch / predict, optimizers and losses.
// The fit() and evaluate() loops live in JavaScript (wasm/js/training/) so
// they can await between batches, run callbacks and honour an AbortSignal.
#include <emscripten/bind.h>

#include "guard.h"
#include "json_util.h"
#include "models/frozen_prefix.h"
#include "models/functional.h"
#include "models/model.h"
#include "util/random.h"

using namespace emscripten;

namespace tanuki::bindings {

namespace {
std::shared_ptr<Optimizer> createOptimizer(const std::string& name, const std::string& configJson) {
  return guarded([&] { return makeOptimizer(name, parseJson(configJson, "optimizer config")); });
}

std::shared_ptr<Loss> createLoss(const std::string& name, const std::string& configJson) {
  return guarded([&] { return makeLoss(name, parseJson(configJson, "loss config")); });
}

void setSeed(double seed) { Random::global().seed(static_cast<uint64_t>(seed)); }

const Tensor* optionalWeights(const Tensor& w) { return w.defined() ? &w : nullptr; }
}  // namespace

EMSCRIPTEN_BINDINGS(tanuki_training) {
  class_<Optimizer>("Optimizer")
      .smart_ptr<std::shared_ptr<Optimizer>>("OptimizerPtr")
      .function("className", optional_override([](const Optimizer& o) { return o.className(); }))
      .function("configJson", optional_override([](const Optimizer& o) { return o.getConfig().dump(); }))
      .function("iterations", optional_override([](const Optimizer& o) { return static_cast<double>(o.iterations()); }))
      .function("learningRate", optional_override([](const Optimizer& o) { return o.currentLearningRate(); }))
      .function("applyGradients", optional_override([](Optimizer& o, const std::vector<VariablePtr>& vars,
                                                       const std::vector<Tensor>& grads) {
                  guarded([&] {
                    if (vars.size() != grads.size())
                      fail<ValueError>("applyGradients: ", vars.size(), " variables but ", grads.size(), " gradients");
                    std::vector<std::pair<VariablePtr, Tensor>> pairs;
                    for (size_t i = 0; i < vars.size(); ++i) pairs.emplace_back(vars[i], grads[i]);
                    o.applyGradients(pairs);
                  });
                }));

  class_<Loss>("Loss")
      .smart_ptr<std::shared_ptr<Loss>>("LossPtr")
      .function("name", optional_override([](const Loss& l) { return l.name(); }))
      .function("compute", optional_override([](const Loss& l, const Tensor& yTrue, const Tensor& yPred) {
                  return guarded([&] { return l.compute(yTrue, yPred, nullptr, nullptr); });
                }));

  class_<LossAndGradients>("LossAndGradients")
      .function("loss", optional_override([](const LossAndGradients& r) { return r.loss; }))
      .function("count", optional_override([](const LossAndGradients& r) { return r.gradients.size(); }))
      .function("variable", optional_override([](const LossAndGradients& r, size_t i) { return r.gradients.at(i).first; }))
      .function("gradient", optional_override([](const LossAndGradients& r, size_t i) { return r.gradients.at(i).second; }));

  function("createOptimizer", &createOptimizer);
  function("createLoss", &createLoss);
  function("setSeed", &setSeed);
  function("compileModel", optional_override([](Model& m, const std::shared_ptr<Optimizer>& o,
                                                 const std::shared_ptr<Loss>& l, const std::string& metricsJson) {
             guarded([&] {
               const Json names = parseJson(metricsJson, "metrics");
               m.compile(o, l, names.get<std::vector<std::string>>());
             });
           }));
  function("trainOnBatch", optional_override([](Model& m, const Tensor& x, const Tensor& y, const Tensor& w) {
             return guarded([&] { return m.trainOnBatch(x, y, optionalWeights(w)); });
           }));
  function("testOnBatch", optional_override([](Model& m, const Tensor& x, const Tensor& y, const Tensor& w) {
             return guarded([&] { return m.testOnBatch(x, y, optionalWeights(w)); });
           }));
  function("resetMetrics", optional_override([](Model& m) { m.resetMetrics(); }));
  function("metricResults", optional_override([](const Model& m) {
             Json out = Json::array();
             for (const auto& [name, value] : m.metricResults()) out.push_back({name, value});
             return out.dump();
           }));
  function("isCompiled", optional_override([](const Model& m) { return m.compiled(); }));
  function("predict", optional_override([](Model& m, const Tensor& x, int batchSize) {
             return guarded([&] { return m.predict(x, batchSize); });
           }));
  function("computeGradients", optional_override([](Model& m, const Tensor& x, const Tensor& y,
                                                    const std::shared_ptr<Loss>& loss, bool training) {
             return guarded([&] {
               if (!loss) fail<ValueError>("computeGradients: a loss is required");
               return m.computeGradients(x, y, *loss, training);
             });
           }));
  function("emptyTensor", optional_override([]() { return Tensor(); }));
  function("cacheableBoundary", optional_override([](Model& m) {
             return guarded([&] {
               std::string boundary;
               if (auto f = dynamic_cast<Functional*>(&m)) m.withCompiledFlags([&] { boundary = cacheableBoundary(*f); });
               return boundary;
             });
           }));
}

}  // namespace tanuki::bindings
