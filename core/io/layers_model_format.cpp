#include "io/layers_model_format.h"

#include <map>
#include <set>

#include "io/model_topology.h"
#include "io/weights_manifest.h"
#include "util/errors.h"

namespace tanuki::io {

namespace {
// "a/b/c/kernel" -> "c/kernel": the layer/weight part Keras and TF.js agree on.
std::string layerAndWeight(const std::string& name) {
  std::string n = name;
  if (auto colon = n.rfind(':'); colon != std::string::npos && colon > n.rfind('/')) n = n.substr(0, colon);  // "x:0"
  const auto last = n.rfind('/');
  if (last == std::string::npos || last == 0) return n;
  const auto before = n.rfind('/', last - 1);
  return before == std::string::npos ? n : n.substr(before + 1);
}

const Json& topologyOf(const Json& modelJson) {
  const Json& topology = modelJson["modelTopology"];
  if (topology.contains("model_config")) return topology["model_config"];
  return topology;
}
}  // namespace

Json parseModelJson(const std::string& text) {
  if (text.size() > kMaxModelJsonBytes)
    fail<FormatError>("model.json is ", text.size(), " bytes, more than the ", kMaxModelJsonBytes, " accepted");
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::exception& e) {
    fail<FormatError>("model.json is not valid JSON: ", e.what());
  } catch (...) {  // the threaded build, where a catch by type never matches (see RaisedError)
    fail<FormatError>("model.json is not valid JSON");
  }
  if (!j.is_object()) fail<FormatError>("model.json must be a JSON object");
  if (!j.contains("modelTopology") || !j["modelTopology"].is_object())
    fail<FormatError>("model.json has no 'modelTopology' object");
  if (!j.contains("weightsManifest")) fail<FormatError>("model.json has no 'weightsManifest'");
  parseWeightsManifest(j["weightsManifest"]);  // validates early, before any file is fetched
  return j;
}

std::vector<std::string> weightShardPaths(const Json& modelJson) {
  std::vector<std::string> paths;
  for (const Json& group : modelJson["weightsManifest"]) {
    if (!group.contains("paths") || !group["paths"].is_array())
      fail<FormatError>("model.json: a weightsManifest group has no 'paths'");
    for (const Json& p : group["paths"]) {
      if (!p.is_string()) fail<FormatError>("model.json: weight paths must be strings");
      paths.push_back(p.get<std::string>());
    }
  }
  return paths;
}

ModelPtr loadLayersModel(const Json& modelJson, const uint8_t* weights, size_t size, bool strict) {
  const auto specs = parseWeightsManifest(modelJson["weightsManifest"]);
  auto values = decodeWeights(specs, weights, size);  // checks the byte count first
  ModelPtr model = modelFromConfig(topologyOf(modelJson));

  std::map<std::string, std::vector<std::string>> byShortName;
  for (const auto& [name, _] : values) byShortName[layerAndWeight(name)].push_back(name);
  std::set<std::string> used;
  std::vector<std::string> missing;
  for (const auto& variable : model->weights()) {
    std::string source;
    if (values.count(variable->name())) {
      source = variable->name();
    } else if (auto it = byShortName.find(layerAndWeight(variable->name())); it != byShortName.end()) {
      for (const auto& candidate : it->second)
        if (!used.count(candidate)) {
          source = candidate;
          break;
        }
    }
    if (source.empty()) {
      missing.push_back(variable->name());
      continue;
    }
    const Tensor& value = values.at(source);
    if (value.shape() != variable->shape())
      fail<FormatError>("weights: '", source, "' has shape ", shapeToString(value.shape()), " but the model's '",
                        variable->name(), "' needs ", shapeToString(variable->shape()));
    variable->assign(value);
    used.insert(source);
  }
  if (!missing.empty())
    fail<FormatError>("weights: ", missing.size(), " weight(s) of the model are not in the manifest, e.g. '",
                      missing.front(), "'");
  if (strict && used.size() != values.size()) {
    std::string extra;
    for (const auto& [name, _] : values)
      if (!used.count(name)) {
        extra = name;
        break;
      }
    fail<FormatError>("weights: ", values.size() - used.size(), " weight(s) in the manifest belong to no layer, e.g. '",
                      extra, "'");
  }
  return model;
}

SavedLayersModel saveLayersModel(const Model& model, const std::string& weightsPath) {
  std::vector<std::pair<std::string, Tensor>> named;
  std::set<std::string> names;
  for (const auto& v : model.weights()) {
    if (!names.insert(v->name()).second)
      fail<ValueError>("cannot save: two weights are named '", v->name(), "' (give the layers unique names)");
    named.emplace_back(v->name(), v->value());
  }
  EncodedWeights encoded = encodeWeights(named);
  Json topology = modelToConfig(model);
  topology["keras_version"] = "tfjs-layers 4.22.0";
  topology["backend"] = "tensor_flow.js";
  const Json modelJson = {{"modelTopology", topology},
                          {"format", "layers-model"},
                          {"generatedBy", "Tanuki"},
                          {"convertedBy", nullptr},
                          {"weightsManifest", Json::array({{{"paths", {weightsPath}}, {"weights", encoded.specs}}})}};
  return {modelJson.dump(), std::move(encoded.bytes)};
}

}  // namespace tanuki::io
