#include "io/weights_manifest.h"

#include <cmath>
#include <cstring>

#include "util/errors.h"

namespace tanuki::io {

namespace {
int64_t bytesPerValue(const std::string& stored) {
  if (stored == "float32" || stored == "int32") return 4;
  if (stored == "uint16" || stored == "float16") return 2;
  if (stored == "uint8") return 1;
  return 0;
}

template <class T>
T read(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);  // shards are little-endian, like WebAssembly and x86
  return v;
}
}  // namespace

float halfToFloat(uint16_t h) {
  const uint32_t sign = (h & 0x8000u) << 16;
  uint32_t exponent = (h >> 10) & 0x1f;
  uint32_t mantissa = h & 0x3ffu;
  uint32_t bits;
  if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      exponent = 127 - 15 + 1;
      while (!(mantissa & 0x400u)) {
        mantissa <<= 1;
        --exponent;
      }
      bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
    }
  } else if (exponent == 31) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else {
    bits = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

std::vector<WeightSpec> parseWeightsManifest(const Json& manifest) {
  if (!manifest.is_array()) fail<FormatError>("model.json: weightsManifest must be a list of weight groups");
  std::vector<WeightSpec> specs;
  int64_t offset = 0;
  for (const Json& group : manifest) {
    if (!group.is_object() || !group.contains("weights") || !group["weights"].is_array())
      fail<FormatError>("model.json: each weightsManifest group needs a 'weights' list");
    for (const Json& w : group["weights"]) {
      if (!w.is_object() || !w.contains("name") || !w["name"].is_string())
        fail<FormatError>("model.json: a weight in weightsManifest has no name");
      WeightSpec spec;
      spec.name = w["name"].get<std::string>();
      if (!w.contains("shape") || !w["shape"].is_array())
        fail<FormatError>("model.json: weight '", spec.name, "' has no shape");
      for (const Json& d : w["shape"]) {
        if (!d.is_number_integer() || d.get<int64_t>() < 0 || d.get<int64_t>() > (int64_t{1} << 31))
          fail<FormatError>("model.json: weight '", spec.name, "' has an invalid shape ", w["shape"].dump());
        spec.shape.push_back(d.get<int64_t>());
      }
      const std::optional<int64_t> count = checkedShapeSize(spec.shape);
      if (!count) fail<FormatError>("model.json: weight '", spec.name, "' has an absurd shape ", w["shape"].dump());
      spec.dtype = w.value("dtype", std::string("float32"));
      if (spec.dtype != "float32" && spec.dtype != "int32")
        fail<FormatError>("model.json: weight '", spec.name, "' has unsupported dtype '", spec.dtype,
                          "' (supported: float32, int32)");
      spec.storedDtype = spec.dtype;
      if (w.contains("quantization") && !w["quantization"].is_null()) {
        const Json& q = w["quantization"];
        if (!q.is_object() || !q.contains("dtype") || !q["dtype"].is_string())
          fail<FormatError>("model.json: weight '", spec.name, "' has an invalid quantization entry");
        spec.storedDtype = q["dtype"].get<std::string>();
        if (spec.storedDtype == "uint8" || spec.storedDtype == "uint16") {
          if (!q.contains("scale") || !q["scale"].is_number() || !q.contains("min") || !q["min"].is_number())
            fail<FormatError>("model.json: weight '", spec.name, "' is ", spec.storedDtype,
                              "-quantized but lacks numeric 'scale' and 'min'");
          spec.scale = q["scale"].get<double>();
          spec.min = q["min"].get<double>();
        } else if (spec.storedDtype != "float16") {
          fail<FormatError>("model.json: weight '", spec.name, "' has unsupported quantization dtype '",
                            spec.storedDtype, "' (supported: uint8, uint16, float16)");
        }
      }
      spec.byteLength = *count * bytesPerValue(spec.storedDtype);
      spec.byteOffset = offset;
      offset += spec.byteLength;
      specs.push_back(std::move(spec));
    }
  }
  return specs;
}

int64_t manifestByteLength(const std::vector<WeightSpec>& specs) {
  return specs.empty() ? 0 : specs.back().byteOffset + specs.back().byteLength;
}

std::map<std::string, Tensor> decodeWeights(const std::vector<WeightSpec>& specs, const uint8_t* data, size_t size) {
  const int64_t expected = manifestByteLength(specs);
  if (static_cast<int64_t>(size) != expected)
    fail<FormatError>("weights: the manifest describes ", expected, " bytes but the weight files hold ", size, " bytes",
                      static_cast<int64_t>(size) < expected ? " (a shard is missing or truncated)" : "");
  std::map<std::string, Tensor> out;
  for (const auto& spec : specs) {
    Tensor t(spec.shape);
    const uint8_t* p = data + spec.byteOffset;
    const int64_t n = t.size();
    const std::string& s = spec.storedDtype;
    for (int64_t i = 0; i < n; ++i) {
      float v;
      if (s == "float32") {
        v = read<float>(p + 4 * i);
      } else if (s == "int32") {
        v = static_cast<float>(read<int32_t>(p + 4 * i));
      } else if (s == "uint8") {
        v = static_cast<float>(p[i] * spec.scale + spec.min);
      } else if (s == "uint16") {
        v = static_cast<float>(read<uint16_t>(p + 2 * i) * spec.scale + spec.min);
      } else {
        v = halfToFloat(read<uint16_t>(p + 2 * i));
      }
      if (!std::isfinite(v)) fail<FormatError>("weights: '", spec.name, "' holds a NaN or infinite value at index ", i);
      t[i] = v;
    }
    if (!out.emplace(spec.name, t).second)
      fail<FormatError>("weights: '", spec.name, "' appears twice in the manifest");
  }
  return out;
}

EncodedWeights encodeWeights(const std::vector<std::pair<std::string, Tensor>>& weights) {
  EncodedWeights out;
  for (const auto& [name, t] : weights) {
    out.specs.push_back({{"name", name}, {"shape", shapeToJson(t.shape())}, {"dtype", "float32"}});
    const auto* bytes = reinterpret_cast<const uint8_t*>(t.data());
    out.bytes.insert(out.bytes.end(), bytes, bytes + t.size() * 4);
  }
  return out;
}

}  // namespace tanuki::io
