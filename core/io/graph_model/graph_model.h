// A TensorFlow.js graph model (model.json with "format": "graph-model") as
// the importer needs it: the nodes of the frozen TensorFlow graph with their
// attributes decoded from TF's AttrValue JSON encoding, and which nodes are
// the inputs and outputs. The weights (every Const node's value) stay in the
// weightsManifest, read by io/weights_manifest.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "layers/config/config_reader.h"

namespace tanuki::io::graph_model {

// One attribute. TF's JSON writes int64 as strings ({"i": "1"}), bytes as
// base64 ({"s": "U0FNRQ=="}), and lists as {"list": {"i": [...]}}.
struct AttrValue {
  enum class Kind { Int, Float, Bool, String, Type, Shape, Tensor, List, Other };
  Kind kind = Kind::Other;
  int64_t i = 0;
  double f = 0;
  bool b = false;
  std::string s;  // decoded bytes of "s", or the DT_ name of "type"
  std::vector<int64_t> ints;
  std::vector<double> floats;
  std::vector<std::string> strings;
  std::optional<std::vector<int64_t>> dims;  // "shape" / a tensor's tensorShape; -1 unknown; absent: unknown rank
  // A "tensor" attribute's own values (small constants written inline), as doubles.
  std::vector<double> tensorValues;
  std::string tensorDtype;
};

// A data input "name" or "name:k" (output k of node `name`).
struct NodeInput {
  std::string node;
  int64_t output = 0;
};

struct GraphNode {
  std::string name, op;
  std::vector<NodeInput> inputs;  // data inputs only; "^name" control inputs are dropped
  std::map<std::string, AttrValue> attrs;
  const AttrValue* attr(const std::string& attrName) const;
};

struct GraphModel {
  std::vector<GraphNode> nodes;
  std::map<std::string, size_t> byName;    // node name -> index in nodes
  std::vector<NodeInput> inputs, outputs;  // from the signature when given, else found in the graph
};

// Whether model.json is a graph model ("format": "graph-model", or a
// modelTopology that holds a node list).
bool isGraphModelJson(const Json& modelJson);

// Reads modelTopology.node; throws FormatError naming the node and field for
// anything malformed (missing names, duplicate names, attributes of the wrong
// kind, inputs that name no node).
GraphModel readGraphModel(const Json& modelJson);

// Base64 (standard alphabet, padding optional) -> bytes; FormatError naming `what` on bad input.
std::string decodeBase64(const std::string& text, const std::string& what);

}  // namespace tanuki::io::graph_model
