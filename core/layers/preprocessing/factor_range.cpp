#include "layers/preprocessing/factor_range.h"

#include <algorithm>
#include <cmath>

#include "util/errors.h"

namespace tanuki {

FactorRange FactorRange::read(const ConfigReader& config, const char* key, Single single, double minValue,
                              double maxValue, const std::string& layerLabel) {
  if (!config.has(key)) fail<ValueError>(layerLabel, ": ", key, " is required");
  const Json& v = config.raw()[key];
  auto bad = [&] {
    fail<ValueError>(layerLabel, ": ", key, " must be a number or a list [lower, upper] of numbers in [", minValue,
                     ", ", maxValue, "], got ", v.dump());
  };
  double lower = 0, upper = 0;
  if (v.is_number()) {
    const double f = v.get<double>();
    if (single == Single::PlusMinus) {
      lower = -std::abs(f);
      upper = std::abs(f);
    } else {
      lower = upper = f;
    }
  } else if (v.is_array() && v.size() == 2 && v[0].is_number() && v[1].is_number()) {
    lower = v[0].get<double>();
    upper = v[1].get<double>();
    if (single == Single::PlusMinus && lower > upper) std::swap(lower, upper);
  } else {
    bad();
  }
  if (!std::isfinite(lower) || !std::isfinite(upper) || lower < minValue || upper < minValue || lower > maxValue ||
      upper > maxValue)
    bad();
  return {static_cast<float>(lower), static_cast<float>(upper), v};
}

}  // namespace tanuki
