// Keras's random-layer factors: a number or a [lower, upper] pair, kept as
// written so that getConfig() gives back exactly what was configured.
#pragma once

#include "layers/config/config_reader.h"

namespace tanuki {

struct FactorRange {
  // What a single number f means: [-|f|, |f|] (rotation, zoom, translation)
  // or [f, f] (contrast's lower and upper distances from 1).
  enum class Single { PlusMinus, Same };

  float lower = 0;
  float upper = 0;
  Json written;  // the config value as given

  // Reads `key`, which must be present; both bounds must lie in [minValue, maxValue].
  static FactorRange read(const ConfigReader& config, const char* key, Single single, double minValue, double maxValue,
                          const std::string& layerLabel);
};

}  // namespace tanuki
