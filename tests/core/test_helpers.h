// Small builders for tests: layers from Keras configs in one line.
#pragma once

#include <memory>

#include "layers/registry.h"

namespace tanuki::testing {

inline LayerPtr layer(const std::string& className, const Json& config = Json::object()) {
  return createLayer(className, config);
}

}  // namespace tanuki::testing
