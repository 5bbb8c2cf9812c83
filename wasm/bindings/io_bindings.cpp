// Loading and saving models in the TensorFlow.js layers format. JavaScript
// fetches/reads model.json and the shards (wasm/js/io/); the parsing,
// checking and decoding happen here.
#include <emscripten/bind.h>

#include "guard.h"
#include "io/layers_model_format.h"

using namespace emscripten;

namespace tanuki::bindings {

namespace {
// Validates model.json and lists its shard files, as JSON.
std::string weightShardPathsOf(const std::string& modelJsonText) {
  return guarded([&] { return Json(io::weightShardPaths(io::parseModelJson(modelJsonText))).dump(); });
}

ModelPtr loadModel(const std::string& modelJsonText, const std::string& weights, bool strict) {
  return guarded([&] {
    return io::loadLayersModel(io::parseModelJson(modelJsonText), reinterpret_cast<const uint8_t*>(weights.data()),
                               weights.size(), strict);
  });
}

io::SavedLayersModel saveModel(const Model& model, const std::string& weightsPath) {
  return guarded([&] { return io::saveLayersModel(model, weightsPath); });
}
}  // namespace

EMSCRIPTEN_BINDINGS(tanuki_io) {
  class_<io::SavedLayersModel>("SavedLayersModel")
      .function("modelJson", optional_override([](const io::SavedLayersModel& s) { return s.modelJson; }))
      .function("weightsPointer", optional_override([](const io::SavedLayersModel& s) {
                  return reinterpret_cast<uintptr_t>(s.weights.data());
                }))
      .function("weightsSize", optional_override([](const io::SavedLayersModel& s) { return s.weights.size(); }));
  function("weightShardPaths", &weightShardPathsOf);
  function("loadLayersModel", &loadModel);
  function("saveLayersModel", &saveModel);
}

}  // namespace tanuki::bindings
