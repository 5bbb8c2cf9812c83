#include "layers/registry.h"

#include <functional>
#include <map>

#include "layers/core/activation.h"
#include "layers/core/dense.h"
#include "layers/core/input_layer.h"
#include "layers/normalization/batch_normalization.h"
#include "layers/preprocessing/random_contrast.h"
#include "layers/preprocessing/random_flip.h"
#include "layers/preprocessing/random_rotation.h"
#include "layers/preprocessing/random_translation.h"
#include "layers/preprocessing/random_zoom.h"
#include "util/errors.h"

namespace tanuki {

namespace {
using Factory = std::function<LayerPtr(const ConfigReader&)>;

template <class L>
Factory make() {
  return [](const ConfigReader& c) { return std::make_shared<L>(c); };
}

const std::map<std::string, Factory>& factories() {
  static const std::map<std::string, Factory> table = {
      {"Activation", make<Activation>()},
      {"BatchNormalization", make<BatchNormalization>()},
      {"Dense", make<Dense>()},
      {"InputLayer", make<InputLayer>()},
      {"RandomContrast", make<RandomContrast>()},
      {"RandomFlip", make<RandomFlip>()},
      {"RandomRotation", make<RandomRotation>()},
      {"RandomTranslation", make<RandomTranslation>()},
      {"RandomZoom", make<RandomZoom>()},
  };
  return table;
}
}  // namespace

LayerPtr createLayer(const std::string& className, const Json& config) {
  const auto& table = factories();
  auto it = table.find(className);
  if (it == table.end()) {
    std::string known;
    for (const auto& [name, _] : table) known += (known.empty() ? "" : ", ") + name;
    fail<ValueError>("unknown layer class '", className, "' (supported: ", known, ")");
  }
  return it->second(ConfigReader(config, className));
}

std::vector<std::string> supportedLayerClasses() {
  std::vector<std::string> out;
  for (const auto& [name, _] : factories()) out.push_back(name);
  return out;
}

}  // namespace tanuki
