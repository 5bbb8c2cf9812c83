#include "io/onnx/onnx_reader.h"

#include <cstring>
#include <protozero/exception.hpp>
#include <protozero/pbf_reader.hpp>

#include "io/weights_manifest.h"
#include "util/errors.h"

namespace tanuki::io::onnx {

namespace {
using protozero::pbf_reader;
using protozero::pbf_wire_type;

// protozero asserts (rather than throws) when a field is read with the
// wrong accessor, so every field's wire type is checked before it is read.
void expectWire(const pbf_reader& msg, pbf_wire_type type, const char* what) {
  if (msg.wire_type() != type)
    fail<FormatError>("ONNX file is malformed: field ", what, " (number ", msg.tag(), ") has the wrong wire type");
}

// A repeated scalar field, packed (one length-delimited run) or not (one
// value per occurrence, the proto2 default some writers still use).
template <class T>
void readRepeatedVarint(pbf_reader& msg, std::vector<T>& out, const char* what) {
  if (msg.wire_type() == pbf_wire_type::length_delimited) {
    for (auto v : msg.get_packed_int64()) out.push_back(static_cast<T>(v));
  } else {
    expectWire(msg, pbf_wire_type::varint, what);
    out.push_back(static_cast<T>(msg.get_int64()));
  }
}

void readRepeatedFloat(pbf_reader& msg, std::vector<double>& out, const char* what) {
  if (msg.wire_type() == pbf_wire_type::length_delimited) {
    for (float v : msg.get_packed_float()) out.push_back(v);
  } else {
    expectWire(msg, pbf_wire_type::fixed32, what);
    out.push_back(msg.get_float());
  }
}

std::string readString(pbf_reader& msg, const char* what) {
  expectWire(msg, pbf_wire_type::length_delimited, what);
  return msg.get_string();
}

pbf_reader readMessage(pbf_reader& msg, const char* what) {
  expectWire(msg, pbf_wire_type::length_delimited, what);
  return msg.get_message();
}

int64_t readInt(pbf_reader& msg, const char* what) {
  expectWire(msg, pbf_wire_type::varint, what);
  return msg.get_int64();
}

// Bytes per element in raw_data, 0 for types the importer does not read.
size_t rawElementSize(int32_t type) {
  switch (type) {
    case 1:
    case 6:
    case 12: return 4;  // float, int32, uint32
    case 2:
    case 3:
    case 9: return 1;  // uint8, int8, bool
    case 4:
    case 5:
    case 10: return 2;  // uint16, int16, float16
    case 7:
    case 11:
    case 13: return 8;  // int64, double, uint64
    default: return 0;
  }
}

// One element of raw_data (little-endian, like WebAssembly and x86).
template <class T>
T load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

double rawElement(const char* p, int32_t type) {
  switch (type) {
    case 1: return load<float>(p);
    case 6: return load<int32_t>(p);
    case 12: return load<uint32_t>(p);
    case 2:
    case 9: return static_cast<uint8_t>(*p);
    case 3: return static_cast<int8_t>(*p);
    case 4: return load<uint16_t>(p);
    case 5: return load<int16_t>(p);
    case 10: return io::halfToFloat(load<uint16_t>(p));
    case 7: return static_cast<double>(load<int64_t>(p));
    case 11: return load<double>(p);
    default: return static_cast<double>(load<uint64_t>(p));
  }
}

class Reader {
 public:
  explicit Reader(const ExternalFiles& externalFiles) : externalFiles_(externalFiles) {}

  TensorData tensor(pbf_reader msg) {
    TensorData t;
    std::string_view raw;
    bool hasRaw = false, external = false;
    std::map<std::string, std::string> externalInfo;
    std::vector<double> typed;  // float_data, int32_data, int64_data, ...
    while (msg.next()) {
      switch (msg.tag()) {
        case 1: readRepeatedVarint(msg, t.dims, "TensorProto.dims"); break;
        case 2: t.dataType = static_cast<int32_t>(readInt(msg, "TensorProto.data_type")); break;
        case 4: readRepeatedFloat(msg, typed, "TensorProto.float_data"); break;
        case 5:
        case 7:
        case 11: readRepeatedVarint(msg, typed, "TensorProto.int_data"); break;
        case 10:
          if (msg.wire_type() == pbf_wire_type::length_delimited) {
            for (double v : msg.get_packed_double()) typed.push_back(v);
          } else {
            expectWire(msg, pbf_wire_type::fixed64, "TensorProto.double_data");
            typed.push_back(msg.get_double());
          }
          break;
        case 8: t.name = readString(msg, "TensorProto.name"); break;
        case 9: {
          expectWire(msg, pbf_wire_type::length_delimited, "TensorProto.raw_data");
          const protozero::data_view view = msg.get_view();
          raw = std::string_view(view.data(), view.size());
          hasRaw = true;
          break;
        }
        case 13: {
          pbf_reader entry = readMessage(msg, "TensorProto.external_data");
          std::string key, value;
          while (entry.next()) {
            if (entry.tag() == 1)
              key = readString(entry, "StringStringEntryProto.key");
            else if (entry.tag() == 2)
              value = readString(entry, "StringStringEntryProto.value");
            else
              entry.skip();
          }
          externalInfo[key] = value;
          break;
        }
        case 14: external = readInt(msg, "TensorProto.data_location") == 1; break;
        default: msg.skip();
      }
    }
    const std::string label = "ONNX tensor '" + t.name + "'";
    int64_t count = 1;
    for (int64_t d : t.dims) {
      if (d < 0) fail<FormatError>(label, " has a negative dimension ", d);
      if (d > 0 && count > kMaxConstantValues / d)
        fail<FormatError>(label, " is too large (more than ", kMaxConstantValues, " values)");
      count *= d;
    }
    if (count > kMaxConstantValues - totalValues_)
      fail<FormatError>("ONNX file holds more than ", kMaxConstantValues, " constant values, more than Tanuki accepts");
    totalValues_ += count;
    const size_t elementSize = rawElementSize(t.dataType);
    if (elementSize == 0)
      fail<FormatError>(label, " has element type ", dataTypeName(t.dataType), ", which Tanuki does not read");
    if (external || !externalInfo.empty()) {
      raw = externalBytes(label, externalInfo, count * static_cast<int64_t>(elementSize));
      hasRaw = true;
    }
    if (hasRaw) {
      if (raw.size() != static_cast<size_t>(count) * elementSize)
        fail<FormatError>(label, " has ", raw.size(), " bytes of data, its shape needs ",
                          count * static_cast<int64_t>(elementSize));
      t.values.resize(static_cast<size_t>(count));
      for (int64_t i = 0; i < count; ++i) t.values[i] = rawElement(raw.data() + i * elementSize, t.dataType);
    } else {
      if (static_cast<int64_t>(typed.size()) != count)
        fail<FormatError>(label, " has ", typed.size(), " values, its shape needs ", count);
      if (t.dataType == 10)
        for (double& v : typed) v = io::halfToFloat(static_cast<uint16_t>(static_cast<int64_t>(v)));
      t.values = std::move(typed);
    }
    return t;
  }

  Attribute attribute(pbf_reader msg) {
    Attribute a;
    while (msg.next()) {
      switch (msg.tag()) {
        case 1: a.name = readString(msg, "AttributeProto.name"); break;
        case 20: a.type = static_cast<Attribute::Type>(readInt(msg, "AttributeProto.type")); break;
        case 2:
          expectWire(msg, pbf_wire_type::fixed32, "AttributeProto.f");
          a.f = msg.get_float();
          break;
        case 3: a.i = readInt(msg, "AttributeProto.i"); break;
        case 4: a.s = readString(msg, "AttributeProto.s"); break;
        case 5: a.t = tensor(readMessage(msg, "AttributeProto.t")); break;
        case 7: readRepeatedFloat(msg, a.floats, "AttributeProto.floats"); break;
        case 8: readRepeatedVarint(msg, a.ints, "AttributeProto.ints"); break;
        default: msg.skip();  // graphs, strings, sparse tensors: no supported op uses them
      }
    }
    return a;
  }

  NodeProto node(pbf_reader msg) {
    NodeProto n;
    while (msg.next()) {
      switch (msg.tag()) {
        case 1: n.inputs.push_back(readString(msg, "NodeProto.input")); break;
        case 2: n.outputs.push_back(readString(msg, "NodeProto.output")); break;
        case 3: n.name = readString(msg, "NodeProto.name"); break;
        case 4: n.opType = readString(msg, "NodeProto.op_type"); break;
        case 7: n.domain = readString(msg, "NodeProto.domain"); break;
        case 5: n.attributes.push_back(attribute(readMessage(msg, "NodeProto.attribute"))); break;
        default: msg.skip();
      }
    }
    if (n.opType.empty()) fail<FormatError>("ONNX node '", n.name, "' has no op_type");
    return n;
  }

  ValueInfo valueInfo(pbf_reader msg) {
    ValueInfo v;
    while (msg.next()) {
      if (msg.tag() == 1) {
        v.name = readString(msg, "ValueInfoProto.name");
      } else if (msg.tag() == 2) {
        pbf_reader type = readMessage(msg, "ValueInfoProto.type");
        while (type.next()) {
          if (type.tag() != 1) {
            type.skip();
            continue;
          }
          pbf_reader tensorType = readMessage(type, "TypeProto.tensor_type");
          while (tensorType.next()) {
            if (tensorType.tag() == 1) {
              v.elemType = static_cast<int32_t>(readInt(tensorType, "TypeProto.Tensor.elem_type"));
            } else if (tensorType.tag() == 2) {
              v.dims.emplace();
              pbf_reader shape = readMessage(tensorType, "TypeProto.Tensor.shape");
              while (shape.next()) {
                if (shape.tag() != 1) {
                  shape.skip();
                  continue;
                }
                pbf_reader dim = readMessage(shape, "TensorShapeProto.dim");
                int64_t value = -1;
                while (dim.next()) {
                  if (dim.tag() == 1)
                    value = readInt(dim, "Dimension.dim_value");
                  else
                    dim.skip();
                }
                v.dims->push_back(value > 0 ? value : -1);
              }
            } else {
              tensorType.skip();
            }
          }
        }
      } else {
        msg.skip();
      }
    }
    return v;
  }

  void graph(pbf_reader msg, OnnxModel& model) {
    while (msg.next()) {
      switch (msg.tag()) {
        case 1: model.nodes.push_back(node(readMessage(msg, "GraphProto.node"))); break;
        case 5: {
          TensorData t = tensor(readMessage(msg, "GraphProto.initializer"));
          if (t.name.empty()) fail<FormatError>("ONNX file has an initializer without a name");
          std::string name = t.name;
          model.initializers[name] = std::move(t);
          break;
        }
        case 15: fail<FormatError>("ONNX file has sparse initializers, which Tanuki does not read");
        case 11: model.inputs.push_back(valueInfo(readMessage(msg, "GraphProto.input"))); break;
        case 12: model.outputs.push_back(valueInfo(readMessage(msg, "GraphProto.output"))); break;
        default: msg.skip();
      }
    }
  }

 private:
  std::string_view externalBytes(const std::string& label, const std::map<std::string, std::string>& info,
                                 int64_t length) {
    const auto location = info.find("location");
    if (location == info.end()) fail<FormatError>(label, " is stored in an external file but names none");
    const auto file = externalFiles_.find(location->second);
    if (file == externalFiles_.end())
      fail<FormatError>(label, " is stored in the external file '", location->second,
                        "', which was not given: pass its bytes as options.externalData['", location->second, "']");
    int64_t offset = 0;
    if (auto o = info.find("offset"); o != info.end()) offset = parseCount(label, o->second);
    if (auto l = info.find("length"); l != info.end()) length = parseCount(label, l->second);
    const auto available = static_cast<int64_t>(file->second.size());
    if (offset > available || length > available - offset)
      fail<FormatError>(label, " lies past the end of the external file '", location->second, "' (", available,
                        " bytes)");
    return file->second.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
  }

  static int64_t parseCount(const std::string& label, const std::string& text) {
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
      fail<FormatError>(label, ": external data offset/length '", text, "' is not a byte count");
    return std::stoll(text);
  }

  const ExternalFiles& externalFiles_;
  int64_t totalValues_ = 0;
};

template <class F>
auto decoding(F&& body) {
  try {
    return body();
  } catch (const protozero::exception& e) {
    fail<FormatError>("ONNX file is not valid protobuf (", e.what(), ")");
  }
}
}  // namespace

std::string dataTypeName(int32_t type) {
  static const char* names[] = {"undefined", "float32", "uint8",     "int8",       "uint16",  "int16",
                                "int32",     "int64",   "string",    "bool",       "float16", "float64",
                                "uint32",    "uint64",  "complex64", "complex128", "bfloat16"};
  if (type >= 0 && type < static_cast<int32_t>(std::size(names))) return names[type];
  return "type " + std::to_string(type);
}

int64_t TensorData::size() const { return static_cast<int64_t>(values.size()); }

const Attribute* NodeProto::attribute(const std::string& attributeName) const {
  for (const Attribute& a : attributes)
    if (a.name == attributeName) return &a;
  return nullptr;
}

OnnxModel readOnnxModel(const uint8_t* data, size_t size, const ExternalFiles& externalFiles) {
  return decoding([&] {
    OnnxModel model;
    Reader reader(externalFiles);
    bool hasGraph = false, hasOpset = false;
    pbf_reader msg(reinterpret_cast<const char*>(data), size);
    while (msg.next()) {
      switch (msg.tag()) {
        case 1: model.irVersion = readInt(msg, "ModelProto.ir_version"); break;
        case 2: model.producer = readString(msg, "ModelProto.producer_name"); break;
        case 7:
          if (hasGraph) fail<FormatError>("ONNX file has two main graphs");
          reader.graph(readMessage(msg, "ModelProto.graph"), model);
          hasGraph = true;
          break;
        case 8: {
          pbf_reader opset = readMessage(msg, "ModelProto.opset_import");
          std::string domain;
          int64_t version = 0;
          while (opset.next()) {
            if (opset.tag() == 1)
              domain = readString(opset, "OperatorSetIdProto.domain");
            else if (opset.tag() == 2)
              version = readInt(opset, "OperatorSetIdProto.version");
            else
              opset.skip();
          }
          if (domain.empty() || domain == "ai.onnx") {
            model.opset = version;
            hasOpset = true;
          }
          break;
        }
        default: msg.skip();
      }
    }
    if (!hasGraph) fail<FormatError>("not an ONNX model: the file has no graph (ModelProto.graph)");
    if (model.irVersion <= 0) fail<FormatError>("not an ONNX model: the file has no ir_version");
    // IR version 3 files may omit opset_import; they mean opset 1.
    if (!hasOpset) model.opset = 1;
    return model;
  });
}

TensorData readOnnxTensor(const uint8_t* data, size_t size) {
  return decoding([&] {
    static const ExternalFiles none;
    Reader reader(none);
    return reader.tensor(pbf_reader(reinterpret_cast<const char*>(data), size));
  });
}

}  // namespace tanuki::io::onnx
