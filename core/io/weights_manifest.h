// The weights half of the TensorFlow.js layers format.
//
// model.json's "weightsManifest" lists groups of shard files; the shards,
// concatenated in manifest order, hold every weight back to back:
//   [{"paths": ["group1-shard1of1.bin"],
//     "weights": [{"name": "conv/kernel", "shape": [3,3,3,8], "dtype": "float32",
//                  "quantization": {"dtype": "uint8", "min": -1.2, "scale": 0.01}}]}]
// Stored dtypes: float32, int32; quantized uint8 / uint16 (value = q * scale + min)
// and float16.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "layers/config/config_reader.h"
#include "tensor/tensor.h"

namespace tanuki::io {

struct WeightSpec {
  std::string name;
  Shape shape;
  std::string dtype;          // float32 | int32 (what the values mean)
  std::string storedDtype;    // float32 | int32 | uint8 | uint16 | float16 (how they are stored)
  double min = 0, scale = 1;  // for uint8 / uint16 quantization
  int64_t byteOffset = 0;     // into the concatenated shards
  int64_t byteLength = 0;
};

// Parses and checks a manifest: fields present and typed, shapes sane, and
// sizes that cannot overflow. Offsets are assigned in manifest order.
std::vector<WeightSpec> parseWeightsManifest(const Json& manifest);
// Total bytes the shards must hold.
int64_t manifestByteLength(const std::vector<WeightSpec>& specs);
// Decodes every weight from the concatenated shard bytes. Throws FormatError
// when the byte count does not match the manifest, or values are NaN/Inf.
std::map<std::string, Tensor> decodeWeights(const std::vector<WeightSpec>& specs, const uint8_t* data, size_t size);

// Encodes tensors as float32 specs + bytes (the format Tanuki saves).
struct EncodedWeights {
  Json specs = Json::array();
  std::vector<uint8_t> bytes;
};
EncodedWeights encodeWeights(const std::vector<std::pair<std::string, Tensor>>& weights);

// IEEE half -> float.
float halfToFloat(uint16_t h);

}  // namespace tanuki::io
