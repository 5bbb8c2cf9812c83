// Importing TF.js graph models. JavaScript reads model.json and the weight
// shards from the source (wasm/js/io/graph_model.js), as for layers models;
// parsing the graph and building the model happen here.
#include "bind.h"
#include "io/graph_model/graph_model_import.h"
#include "io/layers_model_format.h"
#include "json_util.h"

namespace tanuki::bindings {

namespace {
// options: {"inputShape": [h, w, c]?}
ModelPtr loadGraph(const std::string& modelJsonText, const std::string& weights, const std::string& optionsJson) {
  const Json options = parseJson(optionsJson, "the graph model options");
  io::graph_model::ImportOptions importOptions;
  if (options.contains("inputShape") && !options["inputShape"].is_null())
    importOptions.inputShape = options["inputShape"].get<Shape>();
  return io::graph_model::loadGraphModel(io::parseModelJson(modelJsonText),
                                         reinterpret_cast<const uint8_t*>(weights.data()), weights.size(),
                                         importOptions);
}
}  // namespace

EMSCRIPTEN_BINDINGS(tanuki_graph_model) {
  bindFunction("loadGraphModel",
               [](const std::string& modelJsonText, const std::string& weights, const std::string& optionsJson) {
                 return loadGraph(modelJsonText, weights, optionsJson);
               });
}

}  // namespace tanuki::bindings
