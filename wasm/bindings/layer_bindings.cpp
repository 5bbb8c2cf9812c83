// Layers, symbolic tensors, and models. The JavaScript wrappers
// (wasm/js/layers.js, wasm/js/model.js) give these their TF.js-style names.
#include <emscripten/bind.h>

#include "guard.h"
#include "json_util.h"
#include "layers/registry.h"
#include "models/functional.h"
#include "models/sequential.h"
#include "models/split.h"

using namespace emscripten;

namespace tanuki::bindings {

namespace {
std::optional<bool> trainingArg(int flag) { return flag < 0 ? std::nullopt : std::optional<bool>(flag != 0); }

LayerPtr createLayerFromJson(const std::string& className, const std::string& configJson) {
  return guarded([&] { return createLayer(className, parseJson(configJson, "layer config")); });
}

SymbolicTensor makeInputTensor(const std::string& shapeJson, const std::string& name) {
  return guarded([&] { return makeInput(shapeFromJson(shapeJson), name); });
}

ModelPtr makeFunctional(const std::vector<SymbolicTensor>& inputs, const std::vector<SymbolicTensor>& outputs,
                        const std::string& name) {
  return guarded([&] { return std::static_pointer_cast<Model>(std::make_shared<Functional>(inputs, outputs, name)); });
}

std::shared_ptr<Sequential> makeSequential(const std::string& name) {
  return guarded([&] { return std::make_shared<Sequential>(name); });
}

std::string supportedLayers() { return Json(supportedLayerClasses()).dump(); }

// [{className, config, inputShapes}, ...]: the examples each layer registers,
// for the tests that walk the registry from JavaScript (TF.js parity).
std::string layerExamples() {
  Json out = Json::array();
  for (const LayerRegistration& r : registeredLayers())
    for (const LayerExample& e : r.examples) {
      Json shapes = Json::array();
      for (const Shape& s : e.inputShapes) shapes.push_back(s);
      out.push_back({{"className", r.className}, {"config", e.config}, {"inputShapes", shapes}});
    }
  return out.dump();
}

// A Sequential answers graph questions through its functional twin.
std::shared_ptr<const Functional> asFunctional(const Model& m) {
  if (auto f = dynamic_cast<const Functional*>(&m)) return std::static_pointer_cast<const Functional>(f->shared_from_this());
  if (auto s = dynamic_cast<const Sequential*>(&m)) return s->toFunctional();
  fail<ValueError>("model '", m.name(), "' has no graph");
}
}  // namespace

EMSCRIPTEN_BINDINGS(tanuki_layers) {
  class_<SymbolicTensor>("SymbolicTensor")
      .function("shapeJson", optional_override([](const SymbolicTensor& s) { return shapeToJsonText(s.shape()); }))
      .function("layerName", optional_override([](const SymbolicTensor& s) { return s.node->layer->name(); }));
  register_vector<SymbolicTensor>("SymbolicTensorVector");

  class_<Layer>("Layer")
      .smart_ptr<LayerPtr>("LayerPtr")
      .function("name", optional_override([](const Layer& l) { return l.name(); }))
      .function("className", optional_override([](const Layer& l) { return l.className(); }))
      .function("trainable", optional_override([](const Layer& l) { return l.trainable(); }))
      .function("setTrainable", optional_override([](Layer& l, bool t) { guarded([&] { l.setTrainable(t); }); }))
      .function("built", optional_override([](const Layer& l) { return l.built(); }))
      .function("weights", optional_override([](const Layer& l) { return l.weights(); }))
      .function("trainableWeights", optional_override([](const Layer& l) { return l.trainableWeights(); }))
      .function("nonTrainableWeights", optional_override([](const Layer& l) { return l.nonTrainableWeights(); }))
      .function("countParams", optional_override([](const Layer& l) { return static_cast<double>(l.countParams()); }))
      .function("getWeights", optional_override([](const Layer& l) { return l.getWeights(); }))
      .function("setWeights", optional_override([](Layer& l, const std::vector<Tensor>& w) {
                  guarded([&] { l.setWeights(w); });
                }))
      .function("build", optional_override([](Layer& l, const std::string& shapesJson) {
                  guarded([&] {
                    const Json j = parseJson(shapesJson, "input shapes");
                    std::vector<Shape> shapes;
                    for (const Json& s : j) shapes.push_back(shapeFromJson(s.dump()));
                    l.build(shapes);
                  });
                }))
      .function("computeOutputShape", optional_override([](const Layer& l, const std::string& shapesJson) {
                  return guarded([&] {
                    const Json j = parseJson(shapesJson, "input shapes");
                    std::vector<Shape> shapes;
                    for (const Json& s : j) shapes.push_back(shapeFromJson(s.dump()));
                    return shapeToJsonText(l.computeOutputShape(shapes));
                  });
                }))
      .function("apply", optional_override([](Layer& l, const std::vector<Tensor>& inputs, bool training) {
                  return guarded([&] {
                    CallContext ctx;
                    ctx.training = training;
                    return l.apply(inputs, ctx).output;
                  });
                }))
      .function("applySymbolic",
                optional_override([](Layer& l, const std::vector<SymbolicTensor>& inputs, int training) {
                  return guarded([&] { return applySymbolic(l.shared_from_this(), inputs, trainingArg(training)); });
                }))
      .function("configJson", optional_override([](const Layer& l) { return l.getConfig().dump(); }))
      .function("sublayers", optional_override([](const Layer& l) { return l.sublayers(); }));
  register_vector<LayerPtr>("LayerVector");

  class_<Model, base<Layer>>("Model")
      .smart_ptr<ModelPtr>("ModelPtr")
      .function("layers", optional_override([](const Model& m) { return m.layers(); }))
      .function("getLayer", optional_override([](const Model& m, const std::string& name) {
                  return guarded([&] { return m.getLayer(name); });
                }))
      .function("summary", optional_override([](const Model& m, int lineLength) {
                  return guarded([&] { return m.summary(lineLength); });
                }))
      .function("inputs", optional_override([](const Model& m) { return guarded([&] { return asFunctional(m)->inputs(); }); }))
      .function("outputs", optional_override([](const Model& m) { return guarded([&] { return asFunctional(m)->outputs(); }); }))
      .function("layerOutput", optional_override([](const Model& m, const std::string& name) {
                  return guarded([&] { return asFunctional(m)->layerOutput(name); });
                }));

  class_<Sequential, base<Model>>("Sequential")
      .smart_ptr<std::shared_ptr<Sequential>>("SequentialPtr")
      .function("add", optional_override([](Sequential& s, const LayerPtr& l) { guarded([&] { s.add(l); }); }))
      .function("pop", optional_override([](Sequential& s) { guarded([&] { s.pop(); }); }));

  class_<Functional, base<Model>>("Functional").smart_ptr<std::shared_ptr<Functional>>("FunctionalPtr");

  function("createLayer", &createLayerFromJson);
  function("makeInput", &makeInputTensor);
  function("makeFunctional", &makeFunctional);
  function("makeSequential", &makeSequential);
  function("supportedLayers", &supportedLayers);
  function("layerExamples", &layerExamples);
  function("splitModel", optional_override([](const Model& m, const std::string& layerName) {
             return guarded([&] {
               const SplitModel split = splitAt(*asFunctional(m), layerName);
               return std::vector<LayerPtr>{split.bottom, split.top};
             });
           }));
}

}  // namespace tanuki::bindings
