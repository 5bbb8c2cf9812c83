#include "io/graph_model/graph_model.h"

#include <cmath>
#include <cstring>

#include "util/errors.h"

namespace tanuki::io::graph_model {

namespace {

// An int64 written as TF's JSON does: a string of digits, or a plain number.
int64_t int64Of(const Json& j, const std::string& what) {
  if (j.is_number_integer()) return j.get<int64_t>();
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    size_t start = s.size() > 1 && s[0] == '-' ? 1 : 0;
    if (s.size() == start || s.size() - start > 18)
      fail<FormatError>(what, ": '", s, "' is not an integer (or too large)");
    int64_t v = 0;
    for (size_t k = start; k < s.size(); ++k) {
      if (s[k] < '0' || s[k] > '9') fail<FormatError>(what, ": '", s, "' is not an integer");
      v = v * 10 + (s[k] - '0');
    }
    return start ? -v : v;
  }
  fail<FormatError>(what, " must be an integer (a number or a string of digits), got ", j.dump());
}

double doubleOf(const Json& j, const std::string& what) {
  if (j.is_number()) return j.get<double>();
  // TF writes non-finite floats as strings.
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (s == "NaN") return std::nan("");
    if (s == "Infinity") return INFINITY;
    if (s == "-Infinity") return -INFINITY;
  }
  fail<FormatError>(what, " must be a number, got ", j.dump());
}

const Json& arrayField(const Json& object, const char* key, const std::string& what) {
  static const Json empty = Json::array();
  if (!object.contains(key)) return empty;
  const Json& a = object[key];
  if (!a.is_array()) fail<FormatError>(what, ": '", key, "' must be a list");
  return a;
}

// A TensorShapeProto: {"dim": [{"size": "-1"}, ...]} or {"unknownRank": true}.
std::optional<std::vector<int64_t>> shapeOf(const Json& shape, const std::string& what) {
  if (!shape.is_object()) fail<FormatError>(what, ": a shape must be an object");
  if (shape.value("unknownRank", false)) return std::nullopt;
  std::vector<int64_t> dims;
  for (const Json& d : arrayField(shape, "dim", what)) {
    if (!d.is_object()) fail<FormatError>(what, ": a shape's dim must be an object");
    dims.push_back(d.contains("size") ? int64Of(d["size"], what + " dim size") : -1);
    if (dims.back() < -1) fail<FormatError>(what, ": a dimension is negative");
  }
  return dims;
}

void readTensor(const Json& t, AttrValue& a, const std::string& what) {
  if (!t.is_object()) fail<FormatError>(what, ": 'tensor' must be an object");
  a.kind = AttrValue::Kind::Tensor;
  if (t.contains("dtype")) {
    if (!t["dtype"].is_string()) fail<FormatError>(what, ": the tensor's dtype must be a string");
    a.tensorDtype = t["dtype"].get<std::string>();
  }
  a.dims = t.contains("tensorShape") ? shapeOf(t["tensorShape"], what) : std::vector<int64_t>{};
  for (const Json& v : arrayField(t, "floatVal", what)) a.tensorValues.push_back(doubleOf(v, what + " floatVal"));
  for (const Json& v : arrayField(t, "intVal", what))
    a.tensorValues.push_back(static_cast<double>(int64Of(v, what + " intVal")));
  for (const Json& v : arrayField(t, "int64Val", what))
    a.tensorValues.push_back(static_cast<double>(int64Of(v, what + " int64Val")));
  if (t.contains("tensorContent")) {
    if (!t["tensorContent"].is_string()) fail<FormatError>(what, ": tensorContent must be a base64 string");
    const std::string bytes = decodeBase64(t["tensorContent"].get<std::string>(), what + " tensorContent");
    const bool isFloat = a.tensorDtype == "DT_FLOAT", isInt = a.tensorDtype == "DT_INT32";
    if ((!isFloat && !isInt) || bytes.size() % 4)
      fail<FormatError>(what, ": tensorContent of dtype '", a.tensorDtype, "' is not supported (float32, int32 are)");
    for (size_t k = 0; k < bytes.size(); k += 4) {
      if (isFloat) {
        float v;
        std::memcpy(&v, bytes.data() + k, 4);
        a.tensorValues.push_back(v);
      } else {
        int32_t v;
        std::memcpy(&v, bytes.data() + k, 4);
        a.tensorValues.push_back(v);
      }
    }
  }
}

AttrValue readAttr(const Json& j, const std::string& what) {
  if (!j.is_object()) fail<FormatError>(what, " must be an object (a TF AttrValue)");
  AttrValue a;
  if (j.contains("i")) {
    a.kind = AttrValue::Kind::Int;
    a.i = int64Of(j["i"], what);
  } else if (j.contains("f")) {
    a.kind = AttrValue::Kind::Float;
    a.f = doubleOf(j["f"], what);
  } else if (j.contains("b")) {
    if (!j["b"].is_boolean()) fail<FormatError>(what, ": 'b' must be true or false");
    a.kind = AttrValue::Kind::Bool;
    a.b = j["b"].get<bool>();
  } else if (j.contains("s")) {
    if (!j["s"].is_string()) fail<FormatError>(what, ": 's' must be a base64 string");
    a.kind = AttrValue::Kind::String;
    a.s = decodeBase64(j["s"].get<std::string>(), what);
  } else if (j.contains("type")) {
    if (!j["type"].is_string()) fail<FormatError>(what, ": 'type' must be a string such as \"DT_FLOAT\"");
    a.kind = AttrValue::Kind::Type;
    a.s = j["type"].get<std::string>();
  } else if (j.contains("shape")) {
    a.kind = AttrValue::Kind::Shape;
    a.dims = shapeOf(j["shape"], what);
  } else if (j.contains("tensor")) {
    readTensor(j["tensor"], a, what);
  } else if (j.contains("list")) {
    const Json& list = j["list"];
    if (!list.is_object()) fail<FormatError>(what, ": 'list' must be an object");
    a.kind = AttrValue::Kind::List;
    for (const Json& v : arrayField(list, "i", what)) a.ints.push_back(int64Of(v, what));
    for (const Json& v : arrayField(list, "f", what)) a.floats.push_back(doubleOf(v, what));
    for (const Json& v : arrayField(list, "s", what)) {
      if (!v.is_string()) fail<FormatError>(what, ": list entries of 's' must be base64 strings");
      a.strings.push_back(decodeBase64(v.get<std::string>(), what));
    }
  }
  return a;
}

NodeInput parseInput(const std::string& text, const std::string& what) {
  NodeInput in{text, 0};
  const auto colon = text.rfind(':');
  if (colon != std::string::npos && colon + 1 < text.size() &&
      text.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
    in.node = text.substr(0, colon);
    in.output = int64Of(Json(text.substr(colon + 1)), what);
  }
  if (in.node.empty()) fail<FormatError>(what, ": an input names no node");
  return in;
}

// "input:0" (a signature key or tensor name) -> the node and output.
std::vector<NodeInput> signatureTensors(const Json& part, const std::string& what) {
  std::vector<NodeInput> out;
  if (!part.is_object()) fail<FormatError>(what, " must be an object");
  for (const auto& [key, spec] : part.items()) {
    std::string name = key;
    if (spec.is_object() && spec.contains("name") && spec["name"].is_string()) name = spec["name"].get<std::string>();
    out.push_back(parseInput(name, what));
  }
  return out;
}

}  // namespace

const AttrValue* GraphNode::attr(const std::string& attrName) const {
  auto it = attrs.find(attrName);
  return it == attrs.end() ? nullptr : &it->second;
}

bool isGraphModelJson(const Json& modelJson) {
  if (!modelJson.is_object()) return false;
  if (modelJson.contains("format") && modelJson["format"] == "graph-model") return true;
  return modelJson.contains("modelTopology") && modelJson["modelTopology"].is_object() &&
         modelJson["modelTopology"].contains("node");
}

std::string decodeBase64(const std::string& text, const std::string& what) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t bits = 0;
  int count = 0;
  size_t end = text.size();
  while (end > 0 && text[end - 1] == '=') --end;
  if (text.size() - end > 2) fail<FormatError>(what, ": not valid base64");
  for (size_t k = 0; k < end; ++k) {
    const int v = value(text[k]);
    if (v < 0) fail<FormatError>(what, ": not valid base64");
    bits = (bits << 6) | static_cast<uint32_t>(v);
    if (++count == 4) {
      out += static_cast<char>((bits >> 16) & 0xff);
      out += static_cast<char>((bits >> 8) & 0xff);
      out += static_cast<char>(bits & 0xff);
      bits = 0;
      count = 0;
    }
  }
  if (count == 1) fail<FormatError>(what, ": not valid base64");
  if (count == 2) out += static_cast<char>((bits >> 4) & 0xff);
  if (count == 3) {
    out += static_cast<char>((bits >> 10) & 0xff);
    out += static_cast<char>((bits >> 2) & 0xff);
  }
  return out;
}

GraphModel readGraphModel(const Json& modelJson) {
  if (!modelJson.is_object() || !modelJson.contains("modelTopology") || !modelJson["modelTopology"].is_object())
    fail<FormatError>("graph model: model.json has no 'modelTopology' object");
  const Json& topology = modelJson["modelTopology"];
  if (!topology.contains("node") || !topology["node"].is_array())
    fail<FormatError>("graph model: modelTopology has no 'node' list");
  GraphModel g;
  for (const Json& n : topology["node"]) {
    const std::string index = "graph model: node " + std::to_string(g.nodes.size());
    if (!n.is_object() || !n.contains("name") || !n["name"].is_string() || n["name"].get<std::string>().empty())
      fail<FormatError>(index, " has no name");
    GraphNode node;
    node.name = n["name"].get<std::string>();
    const std::string what = "graph model: node '" + node.name + "'";
    if (!n.contains("op") || !n["op"].is_string()) fail<FormatError>(what, " has no op");
    node.op = n["op"].get<std::string>();
    for (const Json& in : arrayField(n, "input", what)) {
      if (!in.is_string()) fail<FormatError>(what, ": inputs must be strings");
      const std::string& text = in.get_ref<const std::string&>();
      if (!text.empty() && text[0] == '^') continue;  // a control dependency: no data flows
      node.inputs.push_back(parseInput(text, what));
    }
    if (n.contains("attr")) {
      if (!n["attr"].is_object()) fail<FormatError>(what, ": 'attr' must be an object");
      for (const auto& [key, value] : n["attr"].items())
        node.attrs[key] = readAttr(value, what + " attribute '" + key + "'");
    }
    if (!g.byName.emplace(node.name, g.nodes.size()).second)
      fail<FormatError>("graph model: two nodes are named '", node.name, "'");
    g.nodes.push_back(std::move(node));
  }
  for (const GraphNode& node : g.nodes)
    for (const NodeInput& in : node.inputs)
      if (!g.byName.count(in.node))
        fail<FormatError>("graph model: node '", node.name, "' reads '", in.node, "', which is no node of the graph");

  // Inputs and outputs: the signature TF.js's converter writes, else the
  // graph's Placeholders and the nodes no other node reads.
  const Json* signature = nullptr;
  if (modelJson.contains("signature") && modelJson["signature"].is_object())
    signature = &modelJson["signature"];
  else if (modelJson.contains("userDefinedMetadata") && modelJson["userDefinedMetadata"].is_object() &&
           modelJson["userDefinedMetadata"].contains("signature") &&
           modelJson["userDefinedMetadata"]["signature"].is_object())
    signature = &modelJson["userDefinedMetadata"]["signature"];
  if (signature && signature->contains("inputs"))
    g.inputs = signatureTensors((*signature)["inputs"], "signature inputs");
  if (signature && signature->contains("outputs"))
    g.outputs = signatureTensors((*signature)["outputs"], "signature outputs");
  for (const auto& list : {&g.inputs, &g.outputs})
    for (const NodeInput& t : *list)
      if (!g.byName.count(t.node))
        fail<FormatError>("graph model: the signature names '", t.node, "', which is no node of the graph");
  if (g.inputs.empty())
    for (const GraphNode& node : g.nodes)
      if (node.op == "Placeholder") g.inputs.push_back({node.name, 0});
  if (g.outputs.empty()) {
    std::vector<bool> read(g.nodes.size(), false);
    for (const GraphNode& node : g.nodes)
      for (const NodeInput& in : node.inputs) read[g.byName.at(in.node)] = true;
    for (size_t k = 0; k < g.nodes.size(); ++k)
      if (!read[k] && g.nodes[k].op != "Const" && g.nodes[k].op != "Placeholder" && g.nodes[k].op != "NoOp")
        g.outputs.push_back({g.nodes[k].name, 0});
  }
  if (g.inputs.empty()) fail<FormatError>("graph model: the graph has no Placeholder input");
  if (g.outputs.empty()) fail<FormatError>("graph model: the graph has no output");
  return g;
}

}  // namespace tanuki::io::graph_model
