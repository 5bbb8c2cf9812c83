#include "io/onnx/onnx_writer.h"

#include <bit>
#include <cstring>
#include <protozero/pbf_writer.hpp>

#include "util/errors.h"

namespace tanuki::io::onnx {

namespace {
using protozero::pbf_writer;

static_assert(std::endian::native == std::endian::little, "raw_data is written in the host's byte order");

// Field numbers of onnx.proto.
namespace model_field {
constexpr int irVersion = 1, producerName = 2, graph = 7, opsetImport = 8;
}
namespace opset_field {
constexpr int domain = 1, version = 2;
}
namespace graph_field {
constexpr int node = 1, name = 2, initializer = 5, input = 11, output = 12;
}
namespace node_field {
constexpr int input = 1, output = 2, name = 3, opType = 4, attribute = 5, domain = 7;
}
namespace attribute_field {
constexpr int name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8, type = 20;
}
namespace tensor_field {
constexpr int dims = 1, dataType = 2, name = 8, rawData = 9;
}
namespace value_info_field {
constexpr int name = 1, type = 2;
}
constexpr int typeTensorField = 1;                            // TypeProto.tensor_type
constexpr int tensorElemTypeField = 1, tensorShapeField = 2;  // TypeProto.Tensor
constexpr int shapeDimField = 1;                              // TensorShapeProto.dim
constexpr int dimValueField = 1, dimParamField = 2;           // TensorShapeProto.Dimension

template <class T>
std::string rawBytes(const std::vector<double>& values) {
  std::string out(values.size() * sizeof(T), '\0');
  for (size_t i = 0; i < values.size(); ++i) {
    const T v = static_cast<T>(values[i]);
    std::memcpy(out.data() + i * sizeof(T), &v, sizeof(T));
  }
  return out;
}

void writeTensor(pbf_writer& msg, const TensorData& t) {
  msg.add_packed_int64(tensor_field::dims, t.dims.begin(), t.dims.end());
  msg.add_int32(tensor_field::dataType, t.dataType);
  if (!t.name.empty()) msg.add_string(tensor_field::name, t.name);
  switch (static_cast<DataType>(t.dataType)) {
    case DataType::Float: msg.add_bytes(tensor_field::rawData, rawBytes<float>(t.values)); break;
    case DataType::Int64: msg.add_bytes(tensor_field::rawData, rawBytes<int64_t>(t.values)); break;
    default: fail<ValueError>("ONNX writer: tensor '", t.name, "' has element type ", dataTypeName(t.dataType));
  }
}

void writeAttribute(pbf_writer& msg, const Attribute& a) {
  msg.add_string(attribute_field::name, a.name);
  switch (a.type) {
    case Attribute::Type::Float: msg.add_float(attribute_field::f, static_cast<float>(a.f)); break;
    case Attribute::Type::Int: msg.add_int64(attribute_field::i, a.i); break;
    case Attribute::Type::String: msg.add_bytes(attribute_field::s, a.s); break;
    case Attribute::Type::Tensor: {
      if (!a.t) fail<ValueError>("ONNX writer: tensor attribute '", a.name, "' has no tensor");
      pbf_writer t(msg, attribute_field::t);
      writeTensor(t, *a.t);
      break;
    }
    case Attribute::Type::Floats: {
      std::vector<float> floats(a.floats.begin(), a.floats.end());
      msg.add_packed_float(attribute_field::floats, floats.begin(), floats.end());
      break;
    }
    case Attribute::Type::Ints: msg.add_packed_int64(attribute_field::ints, a.ints.begin(), a.ints.end()); break;
    default: fail<ValueError>("ONNX writer: attribute '", a.name, "' has a type the writer does not write");
  }
  msg.add_int32(attribute_field::type, static_cast<int32_t>(a.type));
}

void writeNode(pbf_writer& msg, const NodeProto& n) {
  for (const auto& input : n.inputs) msg.add_string(node_field::input, input);
  for (const auto& output : n.outputs) msg.add_string(node_field::output, output);
  if (!n.name.empty()) msg.add_string(node_field::name, n.name);
  msg.add_string(node_field::opType, n.opType);
  if (!n.domain.empty()) msg.add_string(node_field::domain, n.domain);
  for (const auto& a : n.attributes) {
    pbf_writer attribute(msg, node_field::attribute);
    writeAttribute(attribute, a);
  }
}

void writeValueInfo(pbf_writer& msg, const ValueInfo& v) {
  msg.add_string(value_info_field::name, v.name);
  pbf_writer type(msg, value_info_field::type);
  pbf_writer tensor(type, typeTensorField);
  tensor.add_int32(tensorElemTypeField, v.elemType);
  if (!v.dims) return;
  pbf_writer shape(tensor, tensorShapeField);
  for (size_t axis = 0; axis < v.dims->size(); ++axis) {
    pbf_writer dim(shape, shapeDimField);
    const int64_t d = (*v.dims)[axis];
    if (d >= 0)
      dim.add_int64(dimValueField, d);
    else
      dim.add_string(dimParamField, axis == 0 ? std::string("batch") : "d" + std::to_string(axis));
  }
}
}  // namespace

int64_t irVersionForOpset(int64_t opset) {
  // The IR version each opset was released with (onnx/docs/Versioning.md).
  if (opset <= 8) return 3;
  if (opset == 9) return 4;
  if (opset == 10) return 5;
  if (opset == 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

std::string writeOnnxModel(const OnnxModel& model) {
  std::string out;
  pbf_writer msg(out);
  msg.add_int64(model_field::irVersion, model.irVersion ? model.irVersion : irVersionForOpset(model.opset));
  if (!model.producer.empty()) msg.add_string(model_field::producerName, model.producer);
  {
    pbf_writer opset(msg, model_field::opsetImport);
    opset.add_string(opset_field::domain, "");
    opset.add_int64(opset_field::version, model.opset);
  }
  {
    pbf_writer graph(msg, model_field::graph);
    for (const auto& n : model.nodes) {
      pbf_writer node(graph, graph_field::node);
      writeNode(node, n);
    }
    graph.add_string(graph_field::name, model.graphName.empty() ? std::string("graph") : model.graphName);
    for (const auto& [_, t] : model.initializers) {
      pbf_writer tensor(graph, graph_field::initializer);
      writeTensor(tensor, t);
    }
    for (const auto& v : model.inputs) {
      pbf_writer input(graph, graph_field::input);
      writeValueInfo(input, v);
    }
    for (const auto& v : model.outputs) {
      pbf_writer output(graph, graph_field::output);
      writeValueInfo(output, v);
    }
  }
  return out;
}

}  // namespace tanuki::io::onnx
