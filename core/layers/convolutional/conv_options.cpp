#include "layers/convolutional/conv_options.h"

#include <algorithm>
#include <cctype>

#include "util/errors.h"

namespace tanuki {

std::string layerLabel(const ConfigReader& config, const std::string& name) {
  return config.className() + " '" + name + "'";
}

IntPair readIntPair(const ConfigReader& config, const char* key, const IntPair& fallback, const std::string& label) {
  if (!config.has(key)) return fallback;
  const Json& v = config.raw()[key];
  IntPair out{0, 0};
  if (v.is_number_integer()) {
    out = {v.get<int64_t>(), v.get<int64_t>()};
  } else if (v.is_array() && v.size() == 2 && v[0].is_number_integer() && v[1].is_number_integer()) {
    out = {v[0].get<int64_t>(), v[1].get<int64_t>()};
  } else {
    fail<ValueError>(label, ": option '", key, "' must be an integer or a list of 2 integers, got ", v.dump());
  }
  if (out[0] <= 0 || out[1] <= 0) fail<ValueError>(label, ": option '", key, "' must be positive, got ", v.dump());
  return out;
}

int64_t readPositiveInt(const ConfigReader& config, const char* key, int64_t fallback, const std::string& label) {
  const int64_t value = config.getInt(key, fallback);
  if (value <= 0) fail<ValueError>(label, ": '", key, "' must be a positive integer");
  return value;
}

bool readSamePadding(const ConfigReader& config, const std::string& label) {
  std::string padding = config.getString("padding", "valid");
  std::transform(padding.begin(), padding.end(), padding.begin(), [](unsigned char c) { return std::tolower(c); });
  if (padding != "same" && padding != "valid")
    fail<ValueError>(label, ": unsupported padding '", padding, "' (supported: same, valid)");
  return padding == "same";
}

void requireChannelsLast(const ConfigReader& config, const std::string& label) {
  const std::string format = config.getString("data_format", "channels_last");
  if (format != "channels_last")
    fail<ValueError>(label, ": unsupported data_format '", format,
                     "' (Tanuki computes on channels_last (NHWC) tensors only)");
}

void requireUndilated(const ConfigReader& config, const std::string& label) {
  if (readIntPair(config, "dilation_rate", {1, 1}, label) != IntPair{1, 1})
    fail<ValueError>(label, ": unsupported dilation_rate ", config.raw()["dilation_rate"].dump(),
                     " (only 1 is supported)");
  if (config.getInt("groups", 1) != 1)
    fail<ValueError>(label, ": unsupported groups ", config.raw()["groups"].dump(), " (only 1 is supported)");
}

Json pairToJson(const IntPair& pair) { return Json::array({pair[0], pair[1]}); }

}  // namespace tanuki
