// Typed, checked access to a Keras layer config (the JSON "config" object).
// Errors name the layer, the field and what was expected, so a bad model.json
// or a bad option from JavaScript says exactly what to fix.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace tanuki {

using Json = nlohmann::json;

class ConfigReader {
 public:
  ConfigReader(const Json& config, std::string className);

  bool has(const char* key) const;  // present and not null
  bool getBool(const char* key, bool fallback) const;
  int64_t getInt(const char* key, int64_t fallback) const;
  double getDouble(const char* key, double fallback) const;
  std::string getString(const char* key, const std::string& fallback) const;
  // An int or a list of ints (Keras accepts 3 for (3, 3)); `count` entries.
  std::vector<int64_t> getInts(const char* key, size_t count, const std::vector<int64_t>& fallback) const;
  // A shape with null entries as -1.
  std::optional<Shape> getShape(const char* key) const;
  // Initializer name from "glorot_uniform" or {"class_name": "GlorotUniform", ...}.
  std::string getInitializer(const char* key, const std::string& fallback) const;
  // Activation name from "relu" or {"class_name": ..., "config": ...}.
  std::string getActivation(const char* key, const std::string& fallback) const;
  // Rejects a value that Tanuki does not implement, naming it.
  void requireOneOf(const char* key, const std::string& value, std::initializer_list<const char*> allowed) const;

  const Json& raw() const { return config_; }
  const std::string& className() const { return className_; }

 private:
  [[noreturn]] void bad(const char* key, const char* expected) const;
  Json config_;  // a copy: readers often outlive the JSON they were made from
  std::string className_;
};

// {"class_name": "GlorotUniform", "config": {}} for "glorot_uniform".
Json initializerConfig(const std::string& name);
// "<weight>_initializer", and "<weight>_regularizer" and "<weight>_constraint"
// as null: a weight's config options (Tanuki supports neither of the latter).
void writeWeightConfig(Json& config, const std::string& weight, const std::string& initializer);
// [null, 224, 224, 3] for {-1, 224, 224, 3}.
Json shapeToJson(const Shape& shape);

}  // namespace tanuki
