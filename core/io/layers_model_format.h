// The TensorFlow.js layers format as a whole: model.json text plus the
// concatenated weight shards in, a Model out; and back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/model.h"

namespace tanuki::io {

// Largest model.json accepted (the topology of big backbones is ~1 MB).
constexpr size_t kMaxModelJsonBytes = 64u << 20;

// Parses model.json text, checking it is JSON with the fields the format needs.
Json parseModelJson(const std::string& text);
// Names of the shard files in manifest order (for the loader that fetches them).
std::vector<std::string> weightShardPaths(const Json& modelJson);

// Builds the model and assigns its weights from the shard bytes. With strict,
// manifest weights that no layer uses are an error (as TF.js's strict mode).
ModelPtr loadLayersModel(const Json& modelJson, const uint8_t* weights, size_t size, bool strict = true);

struct SavedLayersModel {
  std::string modelJson;  // model.json text, weightsManifest pointing at weightsPath
  std::vector<uint8_t> weights;
};
SavedLayersModel saveLayersModel(const Model& model, const std::string& weightsPath = "weights.bin");

}  // namespace tanuki::io
