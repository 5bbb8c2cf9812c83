#include "image/options_json.h"

#include <nlohmann/json.hpp>

#include "util/errors.h"

namespace tanuki {

ImageTensorOptions imageTensorOptionsFromJson(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) fail<ValueError>("image options are not valid JSON");
  if (!j.is_object()) fail<ValueError>("image options must be an object, got ", text);
  for (const auto& [key, value] : j.items()) {
    if (key != "size" && key != "crop" && key != "scale" && key != "offset")
      fail<ValueError>("unknown option '", key, "' (image options: size, crop, scale, offset)");
  }
  ImageTensorOptions o;
  if (j.contains("size") && !j["size"].is_null()) {
    const nlohmann::json& s = j["size"];
    if (!s.is_array() || s.size() != 2 || !s[0].is_number_integer() || !s[1].is_number_integer())
      fail<ValueError>("image option size must be [height, width] in whole pixels, got ", s.dump());
    o.height = s[0].get<int64_t>();
    o.width = s[1].get<int64_t>();
    if (o.height <= 0 || o.width <= 0) fail<ValueError>("image option size must be positive, got ", s.dump());
  }
  const nlohmann::json crop = j.value("crop", nlohmann::json("none"));
  if (crop != "center" && crop != "none")
    fail<ValueError>("image option crop must be 'center' or 'none', got ", crop.dump());
  o.centerCrop = crop == "center";
  for (const char* key : {"scale", "offset"}) {
    if (j.contains(key) && !j[key].is_number())
      fail<ValueError>("image option ", key, " must be a finite number, got ", j[key].dump());
  }
  o.scale = j.value("scale", 1.0f);
  o.offset = j.value("offset", 0.0f);
  o.validate();
  return o;
}

}  // namespace tanuki
