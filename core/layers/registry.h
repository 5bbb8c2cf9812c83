// Layer registry: Keras class name + config → layer. The single place that
// knows every layer class, used by the model loader and by the JavaScript
// factories (tk.layers.dense({...}) arrives here as "Dense" + its config).
// Each class declares its own registration (layers/layer_registration.h).
#pragma once

#include <string>
#include <vector>

#include "layers/layer_registration.h"

namespace tanuki {

// Throws ValueError "unknown layer class 'X'" listing the supported classes.
LayerPtr createLayer(const std::string& className, const Json& config);
std::vector<std::string> supportedLayerClasses();
bool isSupportedLayerClass(const std::string& className);
// The message for a class that is not: it lists the supported ones.
std::string unknownLayerClass(const std::string& className);
// Every registered layer, sorted by class name.
const std::vector<LayerRegistration>& registeredLayers();

}  // namespace tanuki
