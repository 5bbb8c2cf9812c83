// Loading and saving models in the TensorFlow.js layers format. JavaScript
// fetches/reads model.json and the shards (wasm/js/io/); the parsing,
// checking and decoding happen here.
#include "bind.h"
#include "io/layers_model_format.h"

namespace tanuki::bindings {

EMSCRIPTEN_BINDINGS(tanuki_io) {
  BoundClass<io::SavedLayersModel>("SavedLayersModel")
      .method("modelJson", [](const io::SavedLayersModel& s) { return s.modelJson; })
      .method("weightsPointer",
              [](const io::SavedLayersModel& s) { return reinterpret_cast<uintptr_t>(s.weights.data()); })
      .method("weightsSize", [](const io::SavedLayersModel& s) { return s.weights.size(); });
  // Validates model.json and lists its shard files, as JSON.
  bindFunction("weightShardPaths", [](const std::string& modelJsonText) {
    return Json(io::weightShardPaths(io::parseModelJson(modelJsonText))).dump();
  });
  bindFunction("loadLayersModel", [](const std::string& modelJsonText, const std::string& weights, bool strict) {
    return io::loadLayersModel(io::parseModelJson(modelJsonText), reinterpret_cast<const uint8_t*>(weights.data()),
                               weights.size(), strict);
  });
  bindFunction("saveLayersModel", [](const Model& model, const std::string& weightsPath) {
    return io::saveLayersModel(model, weightsPath);
  });
}

}  // namespace tanuki::bindings
