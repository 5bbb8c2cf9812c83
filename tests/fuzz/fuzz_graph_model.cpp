// libFuzzer target: a TF.js graph-model model.json, imported with zero-filled
// weights of the size its manifest declares (up to 1 MiB), as declared and
// with the input shape fixed to 8x8x3. Every input must end in a model or a
// Tanuki error, never a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "io/graph_model/graph_model_import.h"
#include "io/layers_model_format.h"
#include "io/weights_manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tanuki::io;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const tanuki::Json modelJson = parseModelJson(text);
    const int64_t bytes = manifestByteLength(parseWeightsManifest(modelJson["weightsManifest"]));
    if (bytes > (1 << 20)) return 0;
    const std::vector<uint8_t> weights(static_cast<size_t>(bytes), 0);
    try {
      graph_model::loadGraphModel(modelJson, weights.data(), weights.size());
    } catch (const std::exception&) {
    }
    graph_model::loadGraphModel(modelJson, weights.data(), weights.size(), {tanuki::Shape{8, 8, 3}});
  } catch (const std::exception&) {
  }
  return 0;
}
