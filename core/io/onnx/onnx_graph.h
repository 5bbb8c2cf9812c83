// An ONNX model as the importer needs it: the main graph's nodes with their
// attributes, the initializers (decoded to numbers), the inputs and outputs
// with their declared shapes, and the default-domain opset. Built by
// readOnnxModel (onnx_reader.h); nothing here depends on protobuf.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tanuki::io::onnx {

// TensorProto.DataType values the importer meets.
enum class DataType : int32_t {
  Undefined = 0,
  Float = 1,
  Uint8 = 2,
  Int8 = 3,
  Int32 = 6,
  Int64 = 7,
  Bool = 9,
  Double = 11
};
std::string dataTypeName(int32_t type);

// A constant tensor. Every element type is held as double: float32 values
// and the integers exporters use for shapes and axes (|v| < 2^53) are exact.
struct TensorData {
  std::string name;
  std::vector<int64_t> dims;
  int32_t dataType = 0;
  std::vector<double> values;
  int64_t size() const;
};

struct Attribute {
  enum class Type : int32_t {
    Undefined = 0,
    Float = 1,
    Int = 2,
    String = 3,
    Tensor = 4,
    Graph = 5,
    Floats = 6,
    Ints = 7,
    Strings = 8
  };
  std::string name;
  Type type = Type::Undefined;
  double f = 0;
  int64_t i = 0;
  std::string s;
  std::optional<TensorData> t;
  std::vector<double> floats;
  std::vector<int64_t> ints;
};

struct NodeProto {
  std::string name, opType, domain;
  std::vector<std::string> inputs, outputs;  // "" marks an omitted optional input
  std::vector<Attribute> attributes;
  const Attribute* attribute(const std::string& attributeName) const;
};

// A graph input or output: element type and dimensions (-1 where the file
// gives a symbolic name or nothing).
struct ValueInfo {
  std::string name;
  int32_t elemType = 0;
  std::optional<std::vector<int64_t>> dims;  // absent: rank unknown
};

struct OnnxModel {
  int64_t irVersion = 0;
  int64_t opset = 0;  // of the default domain ("" / "ai.onnx")
  std::string producer;
  std::string graphName;  // written by the writer; the reader does not need it
  std::vector<NodeProto> nodes;
  std::map<std::string, TensorData> initializers;
  std::vector<ValueInfo> inputs, outputs;
};

}  // namespace tanuki::io::onnx
