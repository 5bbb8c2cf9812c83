// libFuzzer target: model.json text -> parsed, validated, model built.
// Any input must end in a FormatError/ValueError/StateError or a model, never
// a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/layers_model_format.h"
#include "io/model_topology.h"
#include "util/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const tanuki::Json modelJson = tanuki::io::parseModelJson(text);
    tanuki::io::weightShardPaths(modelJson);
    const tanuki::Json& topology = modelJson["modelTopology"];
    tanuki::io::modelFromConfig(topology.contains("model_config") ? topology["model_config"] : topology);
  } catch (const std::exception&) {
  }
  return 0;
}
