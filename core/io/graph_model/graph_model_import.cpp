#include "io/graph_model/graph_model_import.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "io/layer_names.h"
#include "io/onnx/onnx_constants.h"
#include "io/weights_manifest.h"
#include "layers/merging/broadcast.h"
#include "layers/registry.h"
#include "models/functional.h"
#include "util/errors.h"

namespace tanuki::io::graph_model {

namespace {

using onnx::Constant;

const std::set<std::string>& supportedOps() {
  static const std::set<std::string> ops = {"Add",
                                            "AddV2",
                                            "AvgPool",
                                            "BiasAdd",
                                            "ConcatV2",
                                            "Const",
                                            "Conv2D",
                                            "DepthwiseConv2dNative",
                                            "Elu",
                                            "FusedBatchNorm",
                                            "FusedBatchNormV3",
                                            "FusedDepthwiseConv2dNative",
                                            "Identity",
                                            "LeakyRelu",
                                            "MatMul",
                                            "MaxPool",
                                            "Mean",
                                            "Mul",
                                            "Pad",
                                            "PadV2",
                                            "Placeholder",
                                            "RealDiv",
                                            "Relu",
                                            "Relu6",
                                            "Reshape",
                                            "Selu",
                                            "Sigmoid",
                                            "Softmax",
                                            "Softplus",
                                            "Squeeze",
                                            "StopGradient",
                                            "Sub",
                                            "Tanh",
                                            "_FusedConv2D",
                                            "_FusedMatMul"};
  return ops;
}

// Layer names from TF node paths: the wrappers TF's saving adds are dropped,
// the last three path parts kept ("MobilenetV2/Conv/Relu6" -> MobilenetV2_Conv_Relu6).
std::string layerNameOf(const std::string& nodeName) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= nodeName.size()) {
    size_t end = nodeName.find('/', start);
    if (end == std::string::npos) end = nodeName.size();
    std::string part = nodeName.substr(start, end - start);
    if (!part.empty() && part != "StatefulPartitionedCall" && part != "PartitionedCall" &&
        part != "module_apply_default")
      parts.push_back(part);
    start = end + 1;
  }
  std::string name;
  for (size_t k = parts.size() > 3 ? parts.size() - 3 : 0; k < parts.size(); ++k)
    name += (name.empty() ? "" : "_") + parts[k];
  return name;  // LayerNames::unique makes it a valid name
}

Json pairJson(int64_t a, int64_t b) { return Json::array({a, b}); }

struct Value {
  std::optional<Constant> constant;
  SymbolicTensor tensor;
  // The Conv2D, DepthwiseConv2D or Dense layer whose unchanged output this
  // is: a per-channel scale or offset applied next can go into its weights.
  LayerPtr foldable;
  bool isConstant() const { return constant.has_value(); }
  Shape shape() const { return constant ? Shape(constant->dims.begin(), constant->dims.end()) : tensor.shape(); }
  int64_t rank() const { return static_cast<int64_t>(shape().size()); }
};

class Importer {
 public:
  Importer(const GraphModel& graph, const std::map<std::string, Tensor>& weights,
           const std::map<std::string, std::string>& dtypes, const ImportOptions& options)
      : graph_(graph), weights_(weights), dtypes_(dtypes), options_(options) {}

  ModelPtr run() {
    for (size_t k = 0; k < graph_.nodes.size(); ++k)
      for (const NodeInput& in : graph_.nodes[k].inputs) {
        ++readers_[in.node];
        consumers_[in.node].push_back(k);
      }
    for (const NodeInput& out : graph_.outputs) ++readers_[out.node];
    std::vector<SymbolicTensor> inputs, outputs;
    for (const NodeInput& in : graph_.inputs) {
      node_ = &graph_.nodes[graph_.byName.at(in.node)];
      if (node_->op != "Placeholder") refuse("a graph input must be a Placeholder");
      placeholder();
      inputs.push_back(values_.at(node_->name).tensor);
    }
    for (size_t index : order()) {
      node_ = &graph_.nodes[index];
      if (!values_.count(node_->name)) convert();
    }
    for (const NodeInput& out : graph_.outputs) {
      const Value& v = values_.at(out.node);
      if (out.output != 0)
        fail<FormatError>("graph model: output ", out.output, " of node '", out.node, "' is not supported");
      if (v.isConstant())
        fail<FormatError>("graph model: the output '", out.node,
                          "' is a constant; Tanuki models compute their outputs from inputs");
      outputs.push_back(v.tensor);
    }
    return std::make_shared<Functional>(inputs, outputs, "graph_model");
  }

 private:
  // The nodes the outputs depend on, each after its inputs (iterative: a
  // hostile graph may be deep). Nodes no output needs are not converted.
  std::vector<size_t> order() const {
    std::vector<size_t> sorted;
    std::vector<int> state(graph_.nodes.size(), 0);  // 0 new, 1 on the stack, 2 done
    for (const NodeInput& out : graph_.outputs) {
      std::vector<std::pair<size_t, size_t>> stack{{graph_.byName.at(out.node), 0}};
      while (!stack.empty()) {
        auto& [index, next] = stack.back();
        if (next == 0) {
          if (state[index] == 2) {
            stack.pop_back();
            continue;
          }
          state[index] = 1;
        }
        const GraphNode& node = graph_.nodes[index];
        if (next < node.inputs.size()) {
          const size_t child = graph_.byName.at(node.inputs[next++].node);
          if (state[child] == 1) fail<FormatError>("graph model: node '", node.name, "' is part of a cycle");
          if (state[child] == 0) stack.emplace_back(child, 0);
          continue;
        }
        state[index] = 2;
        sorted.push_back(index);
        stack.pop_back();
      }
    }
    return sorted;
  }

  // --- helpers -------------------------------------------------------------------------
  [[noreturn]] void refuse(const std::string& why) const {
    fail<FormatError>("graph model: ", node_->op, " node '", node_->name, "': ", why);
  }
  std::string where() const { return "graph model: " + node_->op + " node '" + node_->name + "'"; }

  const Value& input(size_t i) const {
    if (i >= node_->inputs.size()) refuse("input " + std::to_string(i) + " is missing");
    const NodeInput& in = node_->inputs[i];
    if (in.output != 0)
      refuse("it reads output " + std::to_string(in.output) + " of '" + in.node +
             "'; only single-output ops are supported");
    auto it = values_.find(in.node);
    if (it == values_.end()) refuse("its input '" + in.node + "' was not converted");
    return it->second;
  }
  const Constant& constantInput(size_t i, const std::string& what) const {
    const Value& v = input(i);
    if (!v.isConstant()) refuse(what + " must be a constant, not a tensor computed by the model");
    return *v.constant;
  }
  const Value& tensorInput(size_t i) const {
    const Value& v = input(i);
    if (v.isConstant()) refuse("input " + std::to_string(i) + " is a constant where Tanuki expects the model's tensor");
    return v;
  }
  const Value& imageInput() const {
    const Value& v = tensorInput(0);
    if (v.rank() != 4) refuse("its input must be a 4-D NHWC image tensor, got " + shapeToString(v.shape()));
    return v;
  }

  const AttrValue* attr(const char* name, AttrValue::Kind kind) const {
    const AttrValue* a = node_->attr(name);
    if (a && a->kind != kind && !(kind == AttrValue::Kind::List && a->kind == AttrValue::Kind::Other))
      refuse(std::string("attribute '") + name + "' is of the wrong kind");
    return a;
  }
  std::string stringAttr(const char* name, const std::string& fallback) const {
    const AttrValue* a = attr(name, AttrValue::Kind::String);
    return a ? a->s : fallback;
  }
  bool boolAttr(const char* name, bool fallback) const {
    const AttrValue* a = attr(name, AttrValue::Kind::Bool);
    return a ? a->b : fallback;
  }
  double floatAttr(const char* name, double fallback) const {
    const AttrValue* a = attr(name, AttrValue::Kind::Float);
    return a ? a->f : fallback;
  }
  std::vector<int64_t> intsAttr(const char* name) const {
    const AttrValue* a = attr(name, AttrValue::Kind::List);
    return a ? a->ints : std::vector<int64_t>{};
  }
  std::vector<std::string> stringsAttr(const char* name) const {
    const AttrValue* a = attr(name, AttrValue::Kind::List);
    return a ? a->strings : std::vector<std::string>{};
  }

  std::string uniqueName(const std::string& wanted) { return names_.unique(wanted, "layer"); }

  SymbolicTensor apply(const std::string& className, Json config, const std::vector<SymbolicTensor>& inputs,
                       const std::vector<Tensor>& weights = {}, const std::string& role = "") {
    const std::string wanted = layerNameOf(node_->name);
    config["name"] = uniqueName(role.empty() ? wanted : wanted + "_" + role);
    LayerPtr layer = createLayer(className, config);
    SymbolicTensor out = applySymbolic(layer, inputs);
    if (!weights.empty()) layer->setWeights(weights);
    lastLayer_ = layer;
    return out;
  }

  void output(Value v) { values_[node_->name] = std::move(v); }
  void outputTensor(SymbolicTensor t, LayerPtr foldable = nullptr) {
    Value v;
    v.tensor = std::move(t);
    v.foldable = std::move(foldable);
    output(std::move(v));
  }

  // --- nodes -----------------------------------------------------------------------------
  void convert() {
    const std::string& op = node_->op;
    if (!supportedOps().count(op)) {
      std::string list;
      for (const std::string& s : supportedOps()) list += (list.empty() ? "" : ", ") + s;
      fail<FormatError>("graph model: op '", op, "' (node '", node_->name,
                        "') is not supported by Tanuki's importer (supported: ", list, ")");
    }
    if (op == "Const") return output(constValue());
    if (op == "Placeholder") refuse("a Placeholder the signature does not list as an input");
    bool allConstant = !node_->inputs.empty();
    for (size_t i = 0; i < node_->inputs.size(); ++i)
      if (!input(i).isConstant()) allConstant = false;
    if (allConstant) return output(foldNode());
    if (op == "Identity" || op == "StopGradient") return identity();
    if (op == "Conv2D" || op == "_FusedConv2D" || op == "DepthwiseConv2dNative" || op == "FusedDepthwiseConv2dNative")
      return conv();
    if (op == "MatMul" || op == "_FusedMatMul") return matmul();
    if (op == "BiasAdd" || op == "Add" || op == "AddV2" || op == "Sub" || op == "Mul" || op == "RealDiv")
      return binary();
    if (op == "FusedBatchNorm" || op == "FusedBatchNormV3") return batchNorm();
    if (op == "AvgPool" || op == "MaxPool") return pool();
    if (op == "Mean") return mean();
    if (op == "Reshape" || op == "Squeeze") return reshape();
    if (op == "Pad" || op == "PadV2") return pad();
    if (op == "ConcatV2") return concat();
    if (op == "Softmax") return outputTensor(apply("Softmax", {{"axis", -1}}, {tensorInput(0).tensor}));
    outputTensor(activation(tensorInput(0).tensor, op, floatAttr("alpha", 0.2), ""));
  }

  void placeholder() {
    const AttrValue* dtype = attr("dtype", AttrValue::Kind::Type);
    if (dtype && dtype->s != "DT_FLOAT") refuse("its dtype is " + dtype->s + "; Tanuki models take float32 inputs");
    const AttrValue* shapeAttr = attr("shape", AttrValue::Kind::Shape);
    if (!shapeAttr || !shapeAttr->dims || shapeAttr->dims->size() < 2)
      refuse("its shape must be declared with a batch dimension and at least one more");
    const std::vector<int64_t>& dims = *shapeAttr->dims;
    if (declaredBatch_ == 0) declaredBatch_ = dims[0];
    Shape shape(dims.begin() + 1, dims.end());
    if (options_.inputShape) {
      const Shape& given = *options_.inputShape;
      if (given.size() != shape.size())
        refuse("it has " + std::to_string(shape.size()) + " dimensions besides the batch; inputShape gives " +
               std::to_string(given.size()));
      for (size_t k = 0; k < shape.size(); ++k) {
        if (shape[k] > 0 && given[k] != shape[k])
          refuse("inputShape " + shapeToString(given) + " contradicts the declared " + shapeToString(shape));
        shape[k] = given[k];
      }
    }
    for (int64_t d : shape)
      if (d <= 0)
        refuse("it has dynamic dimensions (" + shapeToString(shape) + "); pass options.inputShape to fix them");
    outputTensor(makeInput(shape, uniqueName(layerNameOf(node_->name))));
  }

  Value constValue() const {
    Constant c;
    if (auto it = weights_.find(node_->name); it != weights_.end()) {
      c.dims = it->second.shape();
      const float* p = it->second.data();
      c.values.assign(p, p + it->second.size());
      auto dtype = dtypes_.find(node_->name);
      c.isInteger = dtype != dtypes_.end() && dtype->second == "int32";
    } else {
      const AttrValue* value = attr("value", AttrValue::Kind::Tensor);
      if (!value) refuse("it has no value: its name is not in the weights manifest");
      if (!value->dims) refuse("its value has no shape");
      c.dims = *value->dims;
      const std::optional<int64_t> count = checkedShapeSize(c.dims);
      if (!count || *count > (int64_t{1} << 24)) refuse("its shape is invalid or too large");
      c.isInteger = value->tensorDtype == "DT_INT32" || value->tensorDtype == "DT_INT64";
      if (value->tensorDtype != "DT_FLOAT" && !c.isInteger)
        refuse("its dtype '" + value->tensorDtype + "' is not supported (DT_FLOAT, DT_INT32, DT_INT64 are)");
      c.values = value->tensorValues;
      // TF writes a constant whose elements are all equal as one value.
      if (c.values.size() == 1 && *count > 1) c.values.assign(static_cast<size_t>(*count), c.values[0]);
      if (static_cast<int64_t>(c.values.size()) != *count)
        refuse("its value holds " + std::to_string(c.values.size()) + " elements, its shape " + std::to_string(*count) +
               " (and it is not in the weights manifest)");
      for (double v : c.values)
        if (!std::isfinite(v)) refuse("its value holds NaN or infinity");
    }
    Value v;
    v.constant = std::move(c);
    return v;
  }

  Value foldNode() const {
    const std::string& op = node_->op;
    const Constant& a = constantInput(0, "input 0");
    Value v;
    if (op == "Identity" || op == "StopGradient") {
      v.constant = a;
    } else if (op == "Add" || op == "AddV2" || op == "BiasAdd" || op == "Sub" || op == "Mul" || op == "RealDiv") {
      const std::string onnxOp = op == "Sub" ? "Sub" : op == "Mul" ? "Mul" : op == "RealDiv" ? "Div" : "Add";
      v.constant = onnx::foldElementwise(onnxOp, a, constantInput(1, "input 1"), where());
    } else {
      refuse("Tanuki evaluates only Identity and arithmetic on constants");
    }
    return v;
  }

  void identity() {
    Value v = tensorInput(0);
    v.foldable = nullptr;
    output(v);
  }

  // --- convolution and dense --------------------------------------------------------------
  // Whether this node's output has one reader, and it (or, through a scale,
  // the reader's reader) adds a constant: then the layer gets a bias to fold it into.
  bool offsetFollows(const std::string& name, int depth = 0) const {
    auto it = consumers_.find(name);
    if (depth > 4 || it == consumers_.end() || it->second.size() != 1 || readers_.at(name) != 1) return false;
    const GraphNode& node = graph_.nodes[it->second[0]];
    if (node.inputs.size() != 2) return false;
    const std::string& other = node.inputs[0].node == name ? node.inputs[1].node : node.inputs[0].node;
    if (graph_.nodes[graph_.byName.at(other)].op != "Const") return false;
    if (node.op == "BiasAdd" || node.op == "Add" || node.op == "AddV2" || node.op == "Sub") return true;
    if (node.op == "Mul" || node.op == "RealDiv") return offsetFollows(node.name, depth + 1);
    return false;
  }

  struct Fusion {
    std::vector<std::string> ops;
    size_t args = 0;
  };
  Fusion fusion(size_t firstArg) const {
    Fusion f;
    if (node_->op[0] != '_' && node_->op.rfind("Fused", 0) != 0) return f;
    f.ops = stringsAttr("fused_ops");
    f.args = node_->inputs.size() - firstArg;
    return f;
  }

  // Applies a fused op list's leading BiasAdd / FusedBatchNorm to the kernel
  // and bias; returns the activations that follow.
  std::vector<std::string> fuseLinear(const Fusion& f, size_t firstArg, Tensor& kernel, Tensor& bias, bool& useBias) {
    std::vector<std::string> rest = f.ops;
    if (rest.empty()) return rest;
    const int64_t channels = bias.size();
    auto perChannel = [&](size_t i, const char* what) {
      const Constant& c = constantInput(firstArg + i, what);
      if (c.size() != channels) refuse(std::string(what) + " must hold one value per output channel");
      return c.values;
    };
    if (rest[0] == "BiasAdd") {
      if (f.args != 1) refuse("BiasAdd takes 1 argument, num_args is " + std::to_string(f.args));
      const std::vector<double> b = perChannel(0, "the bias");
      for (int64_t k = 0; k < channels; ++k) bias.data()[k] += static_cast<float>(b[k]);
      useBias = true;
      rest.erase(rest.begin());
    } else if (rest[0] == "FusedBatchNorm") {
      if (f.args != 4) refuse("FusedBatchNorm takes 4 arguments, num_args is " + std::to_string(f.args));
      const std::vector<double> scale = perChannel(0, "the scale"), offset = perChannel(1, "the offset"),
                                mean = perChannel(2, "the mean"), variance = perChannel(3, "the variance");
      const double epsilon = floatAttr("epsilon", 1e-3);
      std::vector<double> s(channels);
      for (int64_t k = 0; k < channels; ++k) {
        s[k] = scale[k] / std::sqrt(variance[k] + epsilon);
        bias.data()[k] = static_cast<float>((bias.data()[k] - mean[k]) * s[k] + offset[k]);
      }
      for (int64_t k = 0; k < kernel.size(); ++k) kernel.data()[k] *= static_cast<float>(s[k % channels]);
      useBias = true;
      rest.erase(rest.begin());
    } else if (f.args != 0) {
      refuse("fused op '" + rest[0] + "' with " + std::to_string(f.args) + " arguments is not supported");
    }
    if (rest.size() > 1) refuse("more than one fused activation is not supported");
    return rest;
  }

  SymbolicTensor fusedActivations(SymbolicTensor x, const std::vector<std::string>& ops) {
    for (const std::string& op : ops) x = activation(x, op, floatAttr("leakyrelu_alpha", 0.2), "activation");
    return x;
  }

  SymbolicTensor activation(const SymbolicTensor& x, const std::string& op, double alpha, const std::string& role) {
    if (op == "Relu") return apply("ReLU", Json::object(), {x}, {}, role);
    if (op == "Relu6") return apply("ReLU", {{"max_value", 6.0}}, {x}, {}, role);
    if (op == "LeakyRelu") {
      if (alpha < 0) refuse("a negative LeakyRelu alpha is not supported");
      return apply("ReLU", {{"negative_slope", alpha}}, {x}, {}, role);
    }
    static const std::map<std::string, std::string> named = {{"Elu", "elu"},           {"Selu", "selu"},
                                                             {"Sigmoid", "sigmoid"},   {"Tanh", "tanh"},
                                                             {"Softplus", "softplus"}, {"Swish", "swish"}};
    auto it = named.find(op);
    if (it == named.end())
      refuse("activation '" + op + "' is not supported" +
             (op == "Prelu" ? " (Tanuki has no PReLU layer)" : std::string()));
    return apply("Activation", {{"activation", it->second}}, {x}, {}, role);
  }

  // Strides / window from a TF [1, h, w, 1] list.
  std::pair<int64_t, int64_t> spatial(const char* name, int64_t fallback) const {
    std::vector<int64_t> v = intsAttr(name);
    if (v.empty()) return {fallback, fallback};
    if (v.size() != 4 || v[0] != 1 || v[3] != 1 || v[1] < 1 || v[2] < 1)
      refuse(std::string(name) + " must be [1, h, w, 1] with positive h, w");
    return {v[1], v[2]};
  }

  void checkNhwc() const {
    const std::string format = stringAttr("data_format", "NHWC");
    if (format != "NHWC") refuse("data_format '" + format + "' is not supported (NHWC only)");
  }

  // Keras padding for the node's TF padding; explicit pads become a ZeroPadding2D before it.
  std::string padding(SymbolicTensor& x) {
    const std::string p = stringAttr("padding", "VALID");
    if (p == "SAME") return "same";
    if (p == "VALID") return "valid";
    if (p != "EXPLICIT") refuse("padding '" + p + "' is not one of SAME, VALID, EXPLICIT");
    const std::vector<int64_t> e = intsAttr("explicit_paddings");
    if (e.size() != 8) refuse("explicit_paddings must hold 8 values");
    if (e[0] || e[1] || e[6] || e[7]) refuse("explicit padding of the batch or channel axis is not supported");
    for (int64_t v : e)
      if (v < 0 || v > (int64_t{1} << 20)) refuse("explicit_paddings must be non-negative and sane");
    if (e[2] || e[3] || e[4] || e[5])
      x = apply("ZeroPadding2D", {{"padding", Json::array({pairJson(e[2], e[3]), pairJson(e[4], e[5])})}}, {x}, {},
                "pad");
    return "valid";
  }

  void conv() {
    checkNhwc();
    const bool depthwise = node_->op.find("Depthwise") != std::string::npos;
    const Value& in = imageInput();
    const Constant& w = constantInput(1, "the kernel");
    if (w.dims.size() != 4) refuse("the kernel must be 4-D [kh, kw, in, out]");
    const int64_t kh = w.dims[0], kw = w.dims[1], cin = w.dims[2], cout = w.dims[3], c = in.shape()[3];
    if (kh < 1 || kw < 1 || cout < 1) refuse("the kernel has an empty dimension");
    if (cin != c)
      refuse("the kernel reads " + std::to_string(cin) + " channels, the input has " + std::to_string(c) +
             " (grouped convolutions are not supported)");
    for (int64_t d : intsAttr("dilations"))
      if (d != 1) refuse("dilations other than 1 are not supported");
    const auto [sh, sw] = spatial("strides", 1);
    const int64_t channels = depthwise ? cin * cout : cout;
    Tensor kernel = Tensor::uninitialized({kh, kw, cin, cout});
    std::transform(w.values.begin(), w.values.end(), kernel.data(), [](double v) { return static_cast<float>(v); });
    Tensor bias({channels}, 0.0f);
    bool useBias = false;
    const std::vector<std::string> activations = fuseLinear(fusion(2), 2, kernel, bias, useBias);
    if (!useBias && activations.empty()) useBias = offsetFollows(node_->name);
    SymbolicTensor x = in.tensor;
    Json config = {{"kernel_size", pairJson(kh, kw)},
                   {"strides", pairJson(sh, sw)},
                   {"padding", padding(x)},
                   {"use_bias", useBias}};
    if (depthwise)
      config["depth_multiplier"] = cout;
    else
      config["filters"] = cout;
    std::vector<Tensor> weights{kernel};
    if (useBias) weights.push_back(bias);
    SymbolicTensor out = apply(depthwise ? "DepthwiseConv2D" : "Conv2D", config, {x}, weights);
    LayerPtr layer = lastLayer_;
    if (activations.empty()) return outputTensor(out, layer);
    outputTensor(fusedActivations(out, activations));
  }

  void matmul() {
    const Value& a = tensorInput(0);
    if (a.rank() != 2) refuse("its input must be 2-D [batch, features], got " + shapeToString(a.shape()));
    if (boolAttr("transpose_a", false)) refuse("transpose_a is not supported (the batch would move)");
    const Constant& b = constantInput(1, "the weights");
    if (b.dims.size() != 2) refuse("the weights must be 2-D");
    const bool transB = boolAttr("transpose_b", false);
    const int64_t k = transB ? b.dims[1] : b.dims[0], units = transB ? b.dims[0] : b.dims[1];
    if (units < 1) refuse("the weights have no output units");
    if (k != a.shape()[1])
      refuse("the weights take " + std::to_string(k) + " features, the input has " + std::to_string(a.shape()[1]));
    Tensor kernel = Tensor::uninitialized({k, units});
    for (int64_t r = 0; r < k; ++r)
      for (int64_t u = 0; u < units; ++u)
        kernel.data()[r * units + u] = static_cast<float>(transB ? b.values[u * k + r] : b.values[r * units + u]);
    Tensor bias({units}, 0.0f);
    bool useBias = false;
    const std::vector<std::string> activations = fuseLinear(fusion(2), 2, kernel, bias, useBias);
    if (!useBias && activations.empty()) useBias = offsetFollows(node_->name);
    std::vector<Tensor> weights{kernel};
    if (useBias) weights.push_back(bias);
    SymbolicTensor out = apply("Dense", {{"units", units}, {"use_bias", useBias}}, {a.tensor}, weights);
    LayerPtr layer = lastLayer_;
    if (activations.empty()) return outputTensor(out, layer);
    outputTensor(fusedActivations(out, activations));
  }

  void batchNorm() {
    checkNhwc();
    if (boolAttr("is_training", false)) refuse("training mode is not supported");
    const Value& in = tensorInput(0);
    const int64_t c = in.shape().back();
    std::vector<Tensor> weights;
    const char* what[] = {"the scale", "the offset", "the mean", "the variance"};
    for (size_t i = 1; i <= 4; ++i) {
      const Constant& p = constantInput(i, what[i - 1]);
      if (p.size() != c) refuse(std::string(what[i - 1]) + " must hold one value per channel");
      weights.emplace_back(Shape{c}, std::vector<float>(p.values.begin(), p.values.end()));
    }
    outputTensor(
        apply("BatchNormalization", {{"axis", -1}, {"epsilon", floatAttr("epsilon", 1e-3)}}, {in.tensor}, weights));
  }

  // --- element-wise ----------------------------------------------------------------------
  void binary() {
    const std::string& op = node_->op;
    if (op == "BiasAdd") checkNhwc();
    const Value& a = input(0);
    const Value& b = input(1);
    if (!a.isConstant() && !b.isConstant()) return binaryOfTensors(a, b);
    const bool constantFirst = a.isConstant();
    const Value& x = constantFirst ? b : a;
    const Constant& c = constantFirst ? *a.constant : *b.constant;
    const bool additive = op != "Mul" && op != "RealDiv";
    if (constantFirst && op == "RealDiv") refuse("dividing a constant by a tensor is not supported");
    // y = x * scale + offset, per element of the constant.
    auto scaleOffset = [&](double v) -> std::pair<double, double> {
      if (op == "Mul") return {v, 0};
      if (op == "RealDiv") return {1 / v, 0};
      if (op == "Sub") return constantFirst ? std::pair<double, double>{-1, v} : std::pair<double, double>{1, -v};
      return {1, v};
    };
    const Shape shape = x.shape();
    const int64_t channels = shape.back();
    if (static_cast<int64_t>(c.dims.size()) > x.rank()) refuse("the constant has more dimensions than the tensor");
    bool scalar = c.size() == 1, perChannel = !c.dims.empty() && c.dims.back() == channels && c.size() == channels;
    if (!scalar && !perChannel)
      refuse("broadcasting a constant of shape " + shapeToString(Shape(c.dims.begin(), c.dims.end())) + " over " +
             shapeToString(shape) + " is not supported (scalars and one value per channel are)");
    auto at = [&](int64_t ch) { return scaleOffset(c.values[scalar ? 0 : ch]); };
    // Into the layer before, when this is what its output is for: a scale
    // multiplies the kernel's output channels (the last axis of Conv2D's and
    // Dense's kernels, the last two of DepthwiseConv2D's, flattened) and the
    // bias; an offset adds to the bias, which offsetFollows() made sure of.
    if (x.foldable && readers_[nodeInputName(constantFirst ? 1 : 0)] == 1 && !(constantFirst && op == "Sub")) {
      std::vector<Tensor> weights = x.foldable->getWeights();
      if (!additive || weights.size() == 2) {
        if (!additive)
          for (int64_t k = 0; k < weights[0].size(); ++k)
            weights[0].data()[k] *= static_cast<float>(at(k % channels).first);
        if (weights.size() == 2)
          for (int64_t ch = 0; ch < channels; ++ch) {
            const auto [scale, offset] = at(ch);
            weights[1].data()[ch] = static_cast<float>(weights[1].data()[ch] * scale + offset);
          }
        x.foldable->setWeights(weights);
        return output(x);
      }
    }
    if (scalar) {
      const auto [scale, offset] = at(0);
      return outputTensor(apply("Rescaling", {{"scale", scale}, {"offset", offset}}, {x.tensor}));
    }
    if (x.rank() != 4) refuse("a per-channel constant is supported on images, or right after a MatMul");
    // One value per channel of an image: a frozen 1x1 depthwise convolution.
    Tensor kernel({1, 1, channels, 1}), bias({channels});
    for (int64_t ch = 0; ch < channels; ++ch) {
      kernel.data()[ch] = static_cast<float>(at(ch).first);
      bias.data()[ch] = static_cast<float>(at(ch).second);
    }
    outputTensor(apply("DepthwiseConv2D", {{"kernel_size", pairJson(1, 1)}, {"use_bias", true}, {"trainable", false}},
                       {x.tensor}, {kernel, bias}));
  }

  const std::string& nodeInputName(size_t i) const { return node_->inputs[i].node; }

  void binaryOfTensors(const Value& a, const Value& b) {
    const std::string& op = node_->op;
    // Tanuki's Add and Multiply broadcast like Keras's: one rank, and sizes
    // equal or 1 along each axis (a squeeze-excite gate [N, 1, 1, C] over its
    // feature map [N, H, W, C]).
    if (!broadcastShape(a.shape(), b.shape()))
      refuse("broadcasting between tensors " + shapeToString(a.shape()) + " and " + shapeToString(b.shape()) +
             " is not supported (Tanuki's Add and Multiply layers take tensors of one rank whose sizes are equal or "
             "1 along each axis)");
    if (op == "RealDiv") refuse("dividing two tensors is not supported (Tanuki has no division layer)");
    if (op == "BiasAdd") refuse("the bias must be a constant");
    SymbolicTensor rhs = b.tensor;
    if (op == "Sub") rhs = apply("Rescaling", {{"scale", -1.0}, {"offset", 0.0}}, {b.tensor}, {}, "negate");
    outputTensor(apply(op == "Mul" ? "Multiply" : "Add", Json::object(), {a.tensor, rhs}));
  }

  // --- shapes and pooling ----------------------------------------------------------------
  void pool() {
    checkNhwc();
    const Value& in = imageInput();
    const auto [kh, kw] = spatial("ksize", 0);
    if (kh < 1) refuse("ksize is missing");
    const auto [sh, sw] = spatial("strides", 1);
    SymbolicTensor x = in.tensor;
    const std::string p = stringAttr("padding", "VALID");
    if (p != "SAME" && p != "VALID") refuse("padding '" + p + "' is not supported for pooling (SAME, VALID are)");
    outputTensor(apply(
        node_->op == "AvgPool" ? "AveragePooling2D" : "MaxPooling2D",
        {{"pool_size", pairJson(kh, kw)}, {"strides", pairJson(sh, sw)}, {"padding", p == "SAME" ? "same" : "valid"}},
        {x}));
  }

  void mean() {
    const Value& in = imageInput();
    std::vector<int64_t> axes = constantInput(1, "the axes").ints(where() + ": the axes");
    for (int64_t& axis : axes) axis = onnx::normalizeAxis(axis, 4, where());
    std::sort(axes.begin(), axes.end());
    if (axes != std::vector<int64_t>{1, 2})
      refuse("only the mean over the spatial axes [1, 2] of an image is supported");
    SymbolicTensor out = apply("GlobalAveragePooling2D", Json::object(), {in.tensor});
    // Kept dimensions come from a Reshape rather than the pool's keepdims,
    // which TF.js's pooling layers do not read (a saved model must load there).
    if (boolAttr("keep_dims", false))
      out = apply("Reshape", {{"target_shape", Json::array({1, 1, in.shape()[3]})}}, {out}, {}, "keepdims");
    outputTensor(out);
  }

  int64_t times(int64_t a, int64_t b) const {
    int64_t out;
    if (__builtin_mul_overflow(a, b, &out)) refuse("its dimensions are too large");
    return out;
  }

  void reshape() {
    const Value& in = tensorInput(0);
    const Shape shape = in.shape();
    Shape target;  // without the batch
    if (node_->op == "Squeeze") {
      std::vector<int64_t> axes = intsAttr("squeeze_dims");
      std::vector<bool> drop(shape.size(), axes.empty());
      for (int64_t a : axes) drop[onnx::normalizeAxis(a, in.rank(), where())] = true;
      if (drop.size() > 0 && !axes.empty() && drop[0]) refuse("it squeezes the batch axis");
      for (size_t k = 1; k < shape.size(); ++k) {
        if (drop[k] && shape[k] == 1) continue;
        if (drop[k] && !axes.empty())
          refuse("it squeezes axis " + std::to_string(k) + " of size " + std::to_string(shape[k]));
        target.push_back(shape[k]);
      }
    } else {
      const std::vector<int64_t> dims = constantInput(1, "the shape").ints(where() + ": the shape");
      if (dims.empty() || (dims[0] != -1 && dims[0] != declaredBatch_))
        refuse("the target shape's first entry must be the batch (-1)");
      int64_t total = 1, known = 1, inferred = -1;
      for (size_t k = 1; k < shape.size(); ++k) total = times(total, shape[k]);
      for (size_t k = 1; k < dims.size(); ++k) {
        if (dims[k] == -1) {
          if (inferred >= 0) refuse("the target shape has two entries to infer");
          inferred = static_cast<int64_t>(k - 1);
        } else if (dims[k] < 0) {
          refuse("the target shape has a negative entry");
        } else {
          known = times(known, dims[k]);
        }
        target.push_back(dims[k]);
      }
      if (inferred >= 0) {
        if (known == 0 || total % known) refuse("the target shape does not fit " + shapeToString(shape));
        target[inferred] = total / known;
      } else if (known != total) {
        refuse("the target shape does not hold the " + std::to_string(total) + " values per example of " +
               shapeToString(shape));
      }
    }
    if (target.empty()) refuse("the result has no dimension besides the batch");
    if (target == Shape(shape.begin() + 1, shape.end())) return identity();
    outputTensor(target.size() == 1 ? apply("Flatten", Json::object(), {in.tensor})
                                    : apply("Reshape", {{"target_shape", target}}, {in.tensor}));
  }

  void pad() {
    const Value& in = imageInput();
    const Constant& p = constantInput(1, "the paddings");
    const std::vector<int64_t> pads = p.ints(where() + ": the paddings");
    if (pads.size() != 8) refuse("the paddings must be [4, 2] for a 4-D input");
    if (node_->op == "PadV2" && constantInput(2, "the pad value").values != std::vector<double>{0.0})
      refuse("only padding with zeros is supported");
    if (pads[0] || pads[1] || pads[6] || pads[7]) refuse("only the spatial axes of an image can be padded");
    for (int64_t v : pads)
      if (v < 0 || v > (int64_t{1} << 20)) refuse("the paddings must be non-negative and sane");
    outputTensor(apply("ZeroPadding2D",
                       {{"padding", Json::array({pairJson(pads[2], pads[3]), pairJson(pads[4], pads[5])})}},
                       {in.tensor}));
  }

  void concat() {
    if (node_->inputs.size() < 2) refuse("it needs its tensors and the axis");
    const size_t n = node_->inputs.size() - 1;
    const Value& first = tensorInput(0);
    const std::vector<int64_t> axisValue = constantInput(n, "the axis").ints(where() + ": the axis");
    if (axisValue.size() != 1) refuse("the axis must be a scalar");
    const int64_t axis = onnx::normalizeAxis(axisValue[0], first.rank(), where());
    if (axis == 0) refuse("concatenating along the batch axis is not supported");
    std::vector<SymbolicTensor> parts;
    for (size_t i = 0; i < n; ++i) parts.push_back(tensorInput(i).tensor);
    if (parts.size() == 1) return identity();
    outputTensor(apply("Concatenate", {{"axis", axis}}, parts));
  }

  const GraphModel& graph_;
  const std::map<std::string, Tensor>& weights_;
  const std::map<std::string, std::string>& dtypes_;
  const ImportOptions& options_;
  std::map<std::string, Value> values_;
  std::map<std::string, int> readers_;
  std::map<std::string, std::vector<size_t>> consumers_;  // node -> the nodes reading it
  LayerNames names_;
  const GraphNode* node_ = nullptr;
  LayerPtr lastLayer_;
  int64_t declaredBatch_ = 0;
};

}  // namespace

std::vector<std::string> supportedGraphOps() { return {supportedOps().begin(), supportedOps().end()}; }

ModelPtr importGraphModel(const GraphModel& graph, const std::map<std::string, Tensor>& weights,
                          const std::map<std::string, std::string>& weightDtypes, const ImportOptions& options) {
  return Importer(graph, weights, weightDtypes, options).run();
}

ModelPtr loadGraphModel(const Json& modelJson, const uint8_t* weights, size_t size, const ImportOptions& options) {
  const GraphModel graph = readGraphModel(modelJson);
  if (!modelJson.contains("weightsManifest")) fail<FormatError>("graph model: model.json has no 'weightsManifest'");
  const std::vector<WeightSpec> specs = parseWeightsManifest(modelJson["weightsManifest"]);
  std::map<std::string, std::string> dtypes;
  for (const WeightSpec& s : specs) dtypes[s.name] = s.dtype;
  return importGraphModel(graph, decodeWeights(specs, weights, size), dtypes, options);
}

}  // namespace tanuki::io::graph_model
