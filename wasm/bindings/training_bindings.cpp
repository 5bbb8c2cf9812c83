// compile / trainOnBatch / testOnBatch / predict, optimizers and losses.
// The fit() and evaluate() loops live in JavaScript (wasm/js/training/) so
// they can await between batches, run callbacks and honour an AbortSignal.
#include "bind.h"
#include "json_util.h"
#include "models/frozen_prefix.h"
#include "models/functional.h"
#include "models/model.h"
#include "util/random.h"

namespace tanuki::bindings {

namespace {
const Tensor* optionalWeights(const Tensor& w) { return w.defined() ? &w : nullptr; }
}  // namespace

EMSCRIPTEN_BINDINGS(tanuki_training) {
  BoundClass<Optimizer>("Optimizer")
      .smartPtr<std::shared_ptr<Optimizer>>("OptimizerPtr")
      .method("className", [](const Optimizer& o) { return o.className(); })
      .method("configJson", [](const Optimizer& o) { return o.getConfig().dump(); })
      .method("iterations", [](const Optimizer& o) { return static_cast<double>(o.iterations()); })
      .method("learningRate", [](const Optimizer& o) { return o.currentLearningRate(); })
      .method("applyGradients",
              [](Optimizer& o, const std::vector<VariablePtr>& vars, const std::vector<Tensor>& grads) {
                if (vars.size() != grads.size())
                  fail<ValueError>("applyGradients: ", vars.size(), " variables but ", grads.size(), " gradients");
                std::vector<std::pair<VariablePtr, Tensor>> pairs;
                for (size_t i = 0; i < vars.size(); ++i) pairs.emplace_back(vars[i], grads[i]);
                o.applyGradients(pairs);
              });

  BoundClass<Loss>("Loss")
      .smartPtr<std::shared_ptr<Loss>>("LossPtr")
      .method("name", [](const Loss& l) { return l.name(); })
      .method("compute", [](const Loss& l, const Tensor& yTrue, const Tensor& yPred) {
        return l.compute(yTrue, yPred, nullptr, nullptr);
      });

  BoundClass<LossAndGradients>("LossAndGradients")
      .method("loss", [](const LossAndGradients& r) { return r.loss; })
      .method("count", [](const LossAndGradients& r) { return r.gradients.size(); })
      .method("variable", [](const LossAndGradients& r, size_t i) { return r.gradients.at(i).first; })
      .method("gradient", [](const LossAndGradients& r, size_t i) { return r.gradients.at(i).second; });

  bindFunction("createOptimizer", [](const std::string& name, const std::string& configJson) {
    return makeOptimizer(name, parseJson(configJson, "optimizer config"));
  });
  bindFunction("createLoss", [](const std::string& name, const std::string& configJson) {
    return makeLoss(name, parseJson(configJson, "loss config"));
  });
  bindFunction("setSeed", [](double seed) { Random::global().seed(static_cast<uint64_t>(seed)); });
  bindFunction("compileModel", [](Model& m, const std::shared_ptr<Optimizer>& o, const std::shared_ptr<Loss>& l,
                                  const std::string& metricsJson) {
    const Json names = parseJson(metricsJson, "metrics");
    m.compile(o, l, names.get<std::vector<std::string>>());
  });
  bindFunction("trainOnBatch", [](Model& m, const Tensor& x, const Tensor& y, const Tensor& w) {
    return m.trainOnBatch(x, y, optionalWeights(w));
  });
  bindFunction("testOnBatch", [](Model& m, const Tensor& x, const Tensor& y, const Tensor& w) {
    return m.testOnBatch(x, y, optionalWeights(w));
  });
  bindFunction("resetMetrics", [](Model& m) { m.resetMetrics(); });
  bindFunction("metricResults", [](const Model& m) {
    Json out = Json::array();
    for (const auto& [name, value] : m.metricResults()) out.push_back({name, value});
    return out.dump();
  });
  bindFunction("isCompiled", [](const Model& m) { return m.compiled(); });
  bindFunction("predict", [](Model& m, const Tensor& x, int batchSize) { return m.predict(x, batchSize); });
  bindFunction("computeGradients",
               [](Model& m, const Tensor& x, const Tensor& y, const std::shared_ptr<Loss>& loss, bool training) {
                 if (!loss) fail<ValueError>("computeGradients: a loss is required");
                 return m.computeGradients(x, y, *loss, training);
               });
  bindFunction("emptyTensor", [] { return Tensor(); });
  bindFunction("cacheableBoundary", [](Model& m) {
    std::string boundary;
    if (auto f = dynamic_cast<Functional*>(&m)) m.withCompiledFlags([&] { boundary = cacheableBoundary(*f); });
    return boundary;
  });
}

}  // namespace tanuki::bindings
