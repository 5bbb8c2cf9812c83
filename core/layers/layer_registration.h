// What a layer declares about itself, once, in its own .cpp file:
//
//   template <>
//   LayerRegistration registration<Dense>() {
//     return {"Dense", createAs<Dense>, {{{{"units", 3}}, {{4, 5}}}}};
//   }
//
// the Keras class name, how the layer is made from a config, and examples
// the registry-wide test (tests/core/registry_test.cpp) runs on it: config
// round trip, output and gradient shapes, finite-difference gradients, and
// (tests/js/registry.test.mjs) TF.js parity. The layer list in registry.cpp
// names the class once, which links it in.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layers/layer.h"

namespace tanuki {

struct LayerExample {
  Json config;                     // a Keras config, without a name
  std::vector<Shape> inputShapes;  // concrete shapes, batch first
  // Whether gradients are also checked with training=true: false for a layer
  // that is random in training (Dropout, augmentation).
  bool checkTraining = true;
};

struct LayerRegistration {
  std::string className;  // as Keras and TF.js model files spell it
  LayerPtr (*create)(const ConfigReader& config);
  std::vector<LayerExample> examples;
};

template <class L>
LayerPtr createAs(const ConfigReader& config) {
  return std::make_shared<L>(config);
}

// Specialized by each layer class in its own .cpp file.
template <class L>
LayerRegistration registration();

}  // namespace tanuki
