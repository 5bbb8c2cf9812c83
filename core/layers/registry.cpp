#include "layers/registry.h"

#include <functional>
#include <map>

#include "layers/activations/relu.h"
#include "layers/convolutional/conv2d.h"
#include "layers/convolutional/depthwise_conv2d.h"
#include "layers/convolutional/separable_conv2d.h"
#include "layers/convolutional/zero_padding2d.h"
#include "layers/core/activation.h"
#include "layers/core/dense.h"
#include "layers/core/dropout.h"
#include "layers/core/flatten.h"
#include "layers/core/input_layer.h"
#include "layers/core/rescaling.h"
#include "layers/core/reshape.h"
#include "layers/core/softmax.h"
#include "layers/merging/add.h"
#include "layers/merging/concatenate.h"
#include "layers/merging/multiply.h"
#include "layers/normalization/batch_normalization.h"
#include "layers/pooling/average_pooling2d.h"
#include "layers/pooling/global_average_pooling2d.h"
#include "layers/pooling/global_max_pooling2d.h"
#include "layers/pooling/max_pooling2d.h"
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
      {"Add", make<Add>()},
      {"AveragePooling2D", make<AveragePooling2D>()},
      {"BatchNormalization", make<BatchNormalization>()},
      {"Concatenate", make<Concatenate>()},
      {"Conv2D", make<Conv2D>()},
      {"Dense", make<Dense>()},
      {"DepthwiseConv2D", make<DepthwiseConv2D>()},
      {"Dropout", make<Dropout>()},
      {"Flatten", make<Flatten>()},
      {"GlobalAveragePooling2D", make<GlobalAveragePooling2D>()},
      {"GlobalMaxPooling2D", make<GlobalMaxPooling2D>()},
      {"InputLayer", make<InputLayer>()},
      {"MaxPooling2D", make<MaxPooling2D>()},
      {"Multiply", make<Multiply>()},
      {"RandomContrast", make<RandomContrast>()},
      {"RandomFlip", make<RandomFlip>()},
      {"RandomRotation", make<RandomRotation>()},
      {"RandomTranslation", make<RandomTranslation>()},
      {"RandomZoom", make<RandomZoom>()},
      {"ReLU", make<ReLU>()},
      {"Rescaling", make<Rescaling>()},
      {"Reshape", make<Reshape>()},
      {"SeparableConv2D", make<SeparableConv2D>()},
      {"Softmax", make<Softmax>()},
      {"ZeroPadding2D", make<ZeroPadding2D>()},
  };
  return table;
}
}  // namespace

std::string unknownLayerClass(const std::string& className) {
  std::string known;
  for (const auto& [name, _] : factories()) known += (known.empty() ? "" : ", ") + name;
  return "unknown layer class '" + className + "' (supported: " + known + ")";
}

bool isSupportedLayerClass(const std::string& className) { return factories().count(className) > 0; }

LayerPtr createLayer(const std::string& className, const Json& config) {
  const auto& table = factories();
  auto it = table.find(className);
  if (it == table.end()) fail<ValueError>(unknownLayerClass(className));
  return it->second(ConfigReader(config, className));
}

std::vector<std::string> supportedLayerClasses() {
  std::vector<std::string> out;
  for (const auto& [name, _] : factories()) out.push_back(name);
  return out;
}

}  // namespace tanuki
