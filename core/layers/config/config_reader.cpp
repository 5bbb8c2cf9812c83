#include "layers/config/config_reader.h"

#include <cctype>

#include "util/errors.h"
#include "util/strings.h"

namespace tanuki {

namespace {
// "GlorotUniform" -> "glorot_uniform"
std::string snakeCase(const std::string& name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (i) out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}
}  // namespace

ConfigReader::ConfigReader(const Json& config, std::string className)
    : config_(config), className_(std::move(className)) {
  if (!config_.is_object()) fail<FormatError>(className_, ": config must be a JSON object");
}

void ConfigReader::bad(const char* key, const char* expected) const {
  const std::string name =
      config_.contains("name") && config_["name"].is_string() ? config_["name"].get<std::string>() : "?";
  fail<ValueError>(className_, " '", name, "': option '", key, "' must be ", expected, ", got ", config_[key].dump());
}

bool ConfigReader::has(const char* key) const { return config_.contains(key) && !config_[key].is_null(); }

bool ConfigReader::getBool(const char* key, bool fallback) const {
  if (!has(key)) return fallback;
  if (!config_[key].is_boolean()) bad(key, "a boolean");
  return config_[key].get<bool>();
}

int64_t ConfigReader::getInt(const char* key, int64_t fallback) const {
  if (!has(key)) return fallback;
  const Json& v = config_[key];
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<int64_t>(v.get<double>())))
    return static_cast<int64_t>(v.get<double>());
  bad(key, "an integer");
}

double ConfigReader::getDouble(const char* key, double fallback) const {
  if (!has(key)) return fallback;
  if (!config_[key].is_number()) bad(key, "a number");
  return config_[key].get<double>();
}

std::string ConfigReader::getString(const char* key, const std::string& fallback) const {
  if (!has(key)) return fallback;
  if (!config_[key].is_string()) bad(key, "a string");
  return config_[key].get<std::string>();
}

std::vector<int64_t> ConfigReader::getInts(const char* key, size_t count, const std::vector<int64_t>& fallback) const {
  if (!has(key)) return fallback;
  const Json& v = config_[key];
  if (v.is_number_integer()) return std::vector<int64_t>(count, v.get<int64_t>());
  if (!v.is_array() || v.size() != count)
    bad(key, ("an integer or a list of " + std::to_string(count) + " integers").c_str());
  std::vector<int64_t> out;
  for (const Json& e : v) {
    if (!e.is_number_integer()) bad(key, "a list of integers");
    out.push_back(e.get<int64_t>());
  }
  return out;
}

std::optional<Shape> ConfigReader::getShape(const char* key) const {
  if (!has(key)) return std::nullopt;
  const Json& v = config_[key];
  if (!v.is_array()) bad(key, "a list of dimensions");
  Shape s;
  for (const Json& e : v) {
    if (e.is_null()) {
      s.push_back(-1);
    } else if (e.is_number_integer() && e.get<int64_t>() >= 0 && e.get<int64_t>() <= (int64_t{1} << 31)) {
      s.push_back(e.get<int64_t>());
    } else {
      bad(key, "a list of non-negative integers or nulls");
    }
  }
  return s;
}

std::string ConfigReader::getInitializer(const char* key, const std::string& fallback) const {
  if (!has(key)) return fallback;
  const Json& v = config_[key];
  if (v.is_string()) return snakeCase(v.get<std::string>());
  if (!v.is_object() || !v.contains("class_name") || !v["class_name"].is_string())
    bad(key, "an initializer name or {class_name, config}");
  const std::string name = snakeCase(v["class_name"].get<std::string>());
  const Json params = v.contains("config") && v["config"].is_object() ? v["config"] : Json::object();
  // Parameterised initializers keep their parameters in the name:
  // "variance_scaling:<scale>:<mode>:<distribution>", "constant:<value>".
  if (name == "variance_scaling") {
    return "variance_scaling:" + std::to_string(params.value("scale", 1.0)) + ":" +
           params.value("mode", std::string("fan_in")) + ":" +
           params.value("distribution", std::string("truncated_normal"));
  }
  if (name == "constant") return "constant:" + std::to_string(params.value("value", 0.0));
  return name;
}

std::string ConfigReader::getActivation(const char* key, const std::string& fallback) const {
  if (!has(key)) return fallback;
  const Json& v = config_[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains("class_name") && v["class_name"].is_string())
    return v["class_name"].get<std::string>();
  bad(key, "an activation name");
}

void ConfigReader::requireOneOf(const char* key, const std::string& value,
                                std::initializer_list<const char*> allowed) const {
  std::string list;
  for (const char* a : allowed) {
    if (value == a) return;
    list += std::string(list.empty() ? "" : ", ") + a;
  }
  const std::string name =
      config_.contains("name") && config_["name"].is_string() ? config_["name"].get<std::string>() : "?";
  fail<ValueError>(className_, " '", name, "': unsupported ", key, " '", value, "' (supported: ", list, ")");
}

Json initializerConfig(const std::string& name) {
  const auto parts = split(name, ':');
  std::string camel;
  bool upper = true;
  for (char c : parts[0]) {
    if (c == '_') {
      upper = true;
    } else {
      camel += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  Json config = Json::object();
  if (parts[0] == "variance_scaling" && parts.size() == 4)
    config = {{"scale", std::stod(parts[1])}, {"mode", parts[2]}, {"distribution", parts[3]}, {"seed", nullptr}};
  if (parts[0] == "constant" && parts.size() == 2) config = {{"value", std::stod(parts[1])}};
  return {{"class_name", camel}, {"config", config}};
}

void writeWeightConfig(Json& config, const std::string& weight, const std::string& initializer) {
  config[weight + "_initializer"] = initializerConfig(initializer);
  config[weight + "_regularizer"] = nullptr;
  config[weight + "_constraint"] = nullptr;
}

Json shapeToJson(const Shape& shape) {
  Json out = Json::array();
  for (int64_t d : shape) out.push_back(d < 0 ? Json(nullptr) : Json(d));
  return out;
}

}  // namespace tanuki
