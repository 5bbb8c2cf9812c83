#include "layers/registry.h"

#include <algorithm>
#include <map>

#include "util/errors.h"

namespace tanuki {

// Every layer class, one line each. Its registration<Class>() is defined in
// the class's own .cpp file; naming it here is what links that file into
// every binary built from the static core library.
#define TANUKI_LAYERS(X)    \
  X(Activation)             \
  X(Add)                    \
  X(AveragePooling2D)       \
  X(BatchNormalization)     \
  X(Concatenate)            \
  X(Conv2D)                 \
  X(Dense)                  \
  X(DepthwiseConv2D)        \
  X(Dropout)                \
  X(Flatten)                \
  X(GlobalAveragePooling2D) \
  X(GlobalMaxPooling2D)     \
  X(InputLayer)             \
  X(LayerNormalization)     \
  X(MaxPooling2D)           \
  X(Multiply)               \
  X(RandomContrast)         \
  X(RandomFlip)             \
  X(RandomRotation)         \
  X(RandomTranslation)      \
  X(RandomZoom)             \
  X(ReLU)                   \
  X(Rescaling)              \
  X(Reshape)                \
  X(SeparableConv2D)        \
  X(Softmax)                \
  X(ZeroPadding2D)

#define TANUKI_DECLARE_LAYER(Class) \
  class Class;                      \
  template <>                       \
  LayerRegistration registration<Class>();
TANUKI_LAYERS(TANUKI_DECLARE_LAYER)
#undef TANUKI_DECLARE_LAYER

const std::vector<LayerRegistration>& registeredLayers() {
  static const std::vector<LayerRegistration> all = [] {
#define TANUKI_REGISTRATION(Class) registration<Class>(),
    std::vector<LayerRegistration> list{TANUKI_LAYERS(TANUKI_REGISTRATION)};
#undef TANUKI_REGISTRATION
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.className < b.className; });
    return list;
  }();
  return all;
}

namespace {
const std::map<std::string, const LayerRegistration*>& byClassName() {
  static const std::map<std::string, const LayerRegistration*> table = [] {
    std::map<std::string, const LayerRegistration*> t;
    for (const LayerRegistration& r : registeredLayers())
      if (!t.emplace(r.className, &r).second) fail<StateError>("layer class '", r.className, "' registered twice");
    return t;
  }();
  return table;
}
}  // namespace

std::string unknownLayerClass(const std::string& className) {
  std::string known;
  for (const auto& [name, _] : byClassName()) known += (known.empty() ? "" : ", ") + name;
  return "unknown layer class '" + className + "' (supported: " + known + ")";
}

bool isSupportedLayerClass(const std::string& className) { return byClassName().count(className) > 0; }

LayerPtr createLayer(const std::string& className, const Json& config) {
  const auto& table = byClassName();
  auto it = table.find(className);
  if (it == table.end()) fail<ValueError>(unknownLayerClass(className));
  return it->second->create(ConfigReader(config, className));
}

std::vector<std::string> supportedLayerClasses() {
  std::vector<std::string> out;
  for (const auto& [name, _] : byClassName()) out.push_back(name);
  return out;
}

}  // namespace tanuki
