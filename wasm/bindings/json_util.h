// Shapes and lists cross the boundary as JSON text: one parse on each side,
// no per-element calls.
#pragma once

#include <string>

#include "layers/config/config_reader.h"
#include "util/errors.h"

namespace tanuki::bindings {

inline Json parseJson(const std::string& text, const char* what) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) fail<ValueError>(what, " is not valid JSON");
  return j;
}

inline Shape shapeFromJson(const std::string& text) {
  const Json j = parseJson(text, "shape");
  if (!j.is_array()) fail<ValueError>("a shape must be a list of integers, got ", text);
  Shape s;
  for (const Json& d : j) {
    if (d.is_null()) {
      s.push_back(-1);
    } else if (d.is_number_integer()) {
      s.push_back(d.get<int64_t>());
    } else {
      fail<ValueError>("a shape must be a list of integers, got ", text);
    }
  }
  return s;
}

inline std::string shapeToJsonText(const Shape& shape) { return shapeToJson(shape).dump(); }

}  // namespace tanuki::bindings
