// Reads an ONNX file (a serialized onnx.ModelProto) into an OnnxModel.
// The protobuf wire format is decoded by protozero; this file maps the
// fields of onnx.proto onto the in-memory graph and checks every value
// the importer will rely on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "io/onnx/onnx_graph.h"

namespace tanuki::io::onnx {

// Values held across all initializers and constant attributes before the
// file is refused (a MobileNet holds ~4M; every value costs 8 bytes here).
constexpr int64_t kMaxConstantValues = int64_t{1} << 26;

// Files that initializers stored outside the model refer to, by the
// `location` the model gives ("weights.bin" -> its bytes).
using ExternalFiles = std::map<std::string, std::string_view>;

// Throws FormatError naming what is wrong: not protobuf, truncated, fields
// of the wrong wire type, unsupported element types, inconsistent sizes,
// initializers in external files that were not passed.
OnnxModel readOnnxModel(const uint8_t* data, size_t size, const ExternalFiles& externalFiles = {});
// One serialized TensorProto (the .pb files of ONNX's test cases).
TensorData readOnnxTensor(const uint8_t* data, size_t size);

}  // namespace tanuki::io::onnx
