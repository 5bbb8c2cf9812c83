// Layers, symbolic tensors, and models. The JavaScript wrappers
// (wasm/js/layers.js, wasm/js/model.js) give these their TF.js-style names.
#include "bind.h"
#include "json_util.h"
#include "layers/registry.h"
#include "models/functional.h"
#include "models/sequential.h"
#include "models/split.h"

namespace tanuki::bindings {

namespace {
std::optional<bool> trainingArg(int flag) { return flag < 0 ? std::nullopt : std::optional<bool>(flag != 0); }

std::vector<Shape> shapesFromJson(const std::string& shapesJson) {
  const Json j = parseJson(shapesJson, "input shapes");
  std::vector<Shape> shapes;
  for (const Json& s : j) shapes.push_back(shapeFromJson(s.dump()));
  return shapes;
}

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
  if (auto f = dynamic_cast<const Functional*>(&m))
    return std::static_pointer_cast<const Functional>(f->shared_from_this());
  if (auto s = dynamic_cast<const Sequential*>(&m)) return s->toFunctional();
  fail<ValueError>("model '", m.name(), "' has no graph");
}
}  // namespace

EMSCRIPTEN_BINDINGS(tanuki_layers) {
  BoundClass<SymbolicTensor>("SymbolicTensor")
      .method("shapeJson", [](const SymbolicTensor& s) { return shapeToJsonText(s.shape()); })
      .method("layerName", [](const SymbolicTensor& s) { return s.node->layer->name(); });
  bindVector<SymbolicTensor>("SymbolicTensorVector");

  BoundClass<Layer>("Layer")
      .smartPtr<LayerPtr>("LayerPtr")
      .method("name", [](const Layer& l) { return l.name(); })
      .method("className", [](const Layer& l) { return l.className(); })
      .method("trainable", [](const Layer& l) { return l.trainable(); })
      .method("setTrainable", [](Layer& l, bool t) { l.setTrainable(t); })
      .method("built", [](const Layer& l) { return l.built(); })
      .method("weights", [](const Layer& l) { return l.weights(); })
      .method("trainableWeights", [](const Layer& l) { return l.trainableWeights(); })
      .method("nonTrainableWeights", [](const Layer& l) { return l.nonTrainableWeights(); })
      .method("countParams", [](const Layer& l) { return static_cast<double>(l.countParams()); })
      .method("getWeights", [](const Layer& l) { return l.getWeights(); })
      .method("setWeights", [](Layer& l, const std::vector<Tensor>& w) { l.setWeights(w); })
      .method("build", [](Layer& l, const std::string& shapesJson) { l.build(shapesFromJson(shapesJson)); })
      .method("computeOutputShape",
              [](const Layer& l, const std::string& shapesJson) {
                return shapeToJsonText(l.computeOutputShape(shapesFromJson(shapesJson)));
              })
      .method("apply",
              [](Layer& l, const std::vector<Tensor>& inputs, bool training) {
                CallContext ctx;
                ctx.training = training;
                return l.apply(inputs, ctx).output;
              })
      .method("applySymbolic",
              [](Layer& l, const std::vector<SymbolicTensor>& inputs, int training) {
                return applySymbolic(l.shared_from_this(), inputs, trainingArg(training));
              })
      .method("configJson", [](const Layer& l) { return l.getConfig().dump(); })
      .method("sublayers", [](const Layer& l) { return l.sublayers(); });
  bindVector<LayerPtr>("LayerVector");

  BoundClass<Model, emscripten::base<Layer>>("Model")
      .smartPtr<ModelPtr>("ModelPtr")
      .method("layers", [](const Model& m) { return m.layers(); })
      .method("getLayer", [](const Model& m, const std::string& name) { return m.getLayer(name); })
      .method("summary", [](const Model& m, int lineLength) { return m.summary(lineLength); })
      .method("inputs", [](const Model& m) { return asFunctional(m)->inputs(); })
      .method("outputs", [](const Model& m) { return asFunctional(m)->outputs(); })
      .method("layerOutput", [](const Model& m, const std::string& name) { return asFunctional(m)->layerOutput(name); })
      .method("splitObstacle",
              [](const Model& m, const std::string& name) { return splitObstacle(*asFunctional(m), name); });

  BoundClass<Sequential, emscripten::base<Model>>("Sequential")
      .smartPtr<std::shared_ptr<Sequential>>("SequentialPtr")
      .method("add", [](Sequential& s, const LayerPtr& l) { s.add(l); })
      .method("pop", [](Sequential& s) { s.pop(); });

  BoundClass<Functional, emscripten::base<Model>>("Functional").smartPtr<std::shared_ptr<Functional>>("FunctionalPtr");

  bindFunction("createLayer", [](const std::string& className, const std::string& configJson) {
    return createLayer(className, parseJson(configJson, "layer config"));
  });
  bindFunction("makeInput", [](const std::string& shapeJson, const std::string& name) {
    return makeInput(shapeFromJson(shapeJson), name);
  });
  bindFunction("makeFunctional", [](const std::vector<SymbolicTensor>& inputs,
                                    const std::vector<SymbolicTensor>& outputs, const std::string& name) {
    return std::static_pointer_cast<Model>(std::make_shared<Functional>(inputs, outputs, name));
  });
  bindFunction("makeSequential", [](const std::string& name) { return std::make_shared<Sequential>(name); });
  bindFunction("supportedLayers", [] { return Json(supportedLayerClasses()).dump(); });
  bindFunction("layerExamples", [] { return layerExamples(); });
  bindFunction("splitModel", [](const Model& m, const std::string& layerName) {
    const SplitModel split = splitAt(*asFunctional(m), layerName);
    return std::vector<LayerPtr>{split.bottom, split.top};
  });
}

}  // namespace tanuki::bindings
