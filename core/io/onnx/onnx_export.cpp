#include "io/onnx/onnx_export.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "io/onnx/onnx_writer.h"
#include "kernels/common/conv_geometry.h"
#include "layers/merging/broadcast.h"
#include "models/functional.h"
#include "models/sequential.h"
#include "util/errors.h"

namespace tanuki::io::onnx {

namespace {

// A tensor of the ONNX graph. `shape` is always Tanuki's ([batch, h, w, c]
// for images, batch -1); `nchw` says the graph holds it as [batch, c, h, w].
struct Value {
  std::string name;
  Shape shape;
  bool nchw = false;
};

const std::vector<int64_t> kToNchw = {0, 3, 1, 2}, kToNhwc = {0, 2, 3, 1};

Attribute attribute(const std::string& name, Attribute::Type type) {
  Attribute a;
  a.name = name;
  a.type = type;
  return a;
}
Attribute intAttr(const std::string& name, int64_t v) {
  Attribute a = attribute(name, Attribute::Type::Int);
  a.i = v;
  return a;
}
Attribute intsAttr(const std::string& name, std::vector<int64_t> v) {
  Attribute a = attribute(name, Attribute::Type::Ints);
  a.ints = std::move(v);
  return a;
}
Attribute floatAttr(const std::string& name, double v) {
  Attribute a = attribute(name, Attribute::Type::Float);
  a.f = v;
  return a;
}
Attribute stringAttr(const std::string& name, std::string v) {
  Attribute a = attribute(name, Attribute::Type::String);
  a.s = std::move(v);
  return a;
}

std::vector<double> toDoubles(const Tensor& t) { return std::vector<double>(t.data(), t.data() + t.size()); }

// The graph being built: nodes, initializers, unique names, and the
// transposes between layouts (made once per tensor and layout).
class Graph {
 public:
  explicit Graph(int64_t opset) {
    model_.opset = opset;
    model_.producer = "tanuki";
  }
  int64_t opset() const { return model_.opset; }
  OnnxModel& model() { return model_; }

  std::string uniqueName(const std::string& base) {
    std::string name = base.empty() ? std::string("t") : base;
    for (int i = 1; !used_.insert(name).second; ++i) name = base + "_" + std::to_string(i);
    return name;
  }

  std::string initializer(const std::string& base, std::vector<int64_t> dims, std::vector<double> values,
                          DataType type = DataType::Float) {
    TensorData t;
    t.name = uniqueName(base);
    t.dims = std::move(dims);
    t.dataType = static_cast<int32_t>(type);
    t.values = std::move(values);
    const std::string name = t.name;
    model_.initializers.emplace(name, std::move(t));
    return name;
  }
  // Scalars are shared: every Clip to [0, 6] reads the same two.
  std::string scalar(double v) {
    auto it = scalars_.find(v);
    if (it != scalars_.end()) return it->second;
    return scalars_[v] = initializer("const", {}, {v});
  }
  std::string int64s(const std::string& base, const std::vector<int64_t>& v) {
    return initializer(base, {static_cast<int64_t>(v.size())}, std::vector<double>(v.begin(), v.end()),
                       DataType::Int64);
  }

  std::string op(const std::string& opType, std::vector<std::string> inputs, std::vector<Attribute> attributes,
                 const std::string& outputBase) {
    NodeProto n;
    n.opType = opType;
    n.inputs = std::move(inputs);
    n.attributes = std::move(attributes);
    n.name = uniqueName(outputBase);
    n.outputs = {n.name};
    model_.nodes.push_back(std::move(n));
    return model_.nodes.back().outputs[0];
  }

  // v held in the layout asked for (only rank-4 tensors have two).
  Value layout(const Value& v, bool nchw) {
    if (v.shape.size() != 4 || v.nchw == nchw) return v;
    auto& cached = transposed_[{v.name, nchw}];
    if (cached.empty())
      cached =
          op("Transpose", {v.name}, {intsAttr("perm", nchw ? kToNchw : kToNhwc)}, v.name + (nchw ? "_nchw" : "_nhwc"));
    return Value{cached, v.shape, nchw};
  }

 private:
  OnnxModel model_;
  std::set<std::string> used_;
  std::map<double, std::string> scalars_;
  std::map<std::pair<std::string, bool>, std::string> transposed_;
};

// Explicit pads [top, left, bottom, right] of a window over an input with
// TensorFlow's 'same' or 'valid' rule; empty when the input size is unknown
// ('same' then becomes auto_pad SAME_UPPER, which is the same rule).
std::vector<int64_t> windowPads(const Shape& in, const std::vector<int64_t>& size, const std::vector<int64_t>& strides,
                                bool same) {
  if (!same) return {0, 0, 0, 0};
  if (in[1] < 0 || in[2] < 0) return {};
  std::vector<int64_t> begin(2), end(2);
  for (int a = 0; a < 2; ++a) {
    const int64_t n = in[1 + a], out = (n + strides[a] - 1) / strides[a];
    const int64_t total = std::max<int64_t>((out - 1) * strides[a] + size[a] - n, 0);
    begin[a] = total / 2;
    end[a] = total - begin[a];
  }
  return {begin[0], begin[1], end[0], end[1]};
}

std::vector<Attribute> windowAttributes(const Shape& in, const std::vector<int64_t>& size,
                                        const std::vector<int64_t>& strides, bool same) {
  std::vector<Attribute> attributes = {intsAttr("kernel_shape", size), intsAttr("strides", strides)};
  const auto pads = windowPads(in, size, strides, same);
  if (pads.empty())
    attributes.push_back(stringAttr("auto_pad", "SAME_UPPER"));
  else
    attributes.push_back(intsAttr("pads", pads));
  return attributes;
}

std::vector<int64_t> pairOf(const Json& config, const char* key) {
  const Json& v = config.at(key);
  if (v.is_number()) return {v.get<int64_t>(), v.get<int64_t>()};
  return v.get<std::vector<int64_t>>();
}

// [kh, kw, in, out] (Tanuki) -> [out, in, kh, kw] (ONNX Conv).
std::vector<double> convKernel(const Tensor& k) {
  const int64_t kh = k.dim(0), kw = k.dim(1), ci = k.dim(2), co = k.dim(3);
  std::vector<double> out(static_cast<size_t>(k.size()));
  const float* src = k.data();
  for (int64_t h = 0; h < kh; ++h)
    for (int64_t w = 0; w < kw; ++w)
      for (int64_t i = 0; i < ci; ++i)
        for (int64_t o = 0; o < co; ++o)
          out[static_cast<size_t>(((o * ci + i) * kh + h) * kw + w)] = src[((h * kw + w) * ci + i) * co + o];
  return out;
}

// [kh, kw, c, m] (Tanuki depthwise) -> [c * m, 1, kh, kw] (ONNX Conv, group c):
// output channel c * m + j is at the same place in both, so the kernel is a
// [kh, kw, 1, c * m] convolution kernel.
std::vector<double> depthwiseKernel(const Tensor& k) {
  return convKernel(k.reshape({k.dim(0), k.dim(1), 1, k.dim(2) * k.dim(3)}));
}

// The layer's weight named `suffix` ("kernel" for "conv1/kernel"); null when absent.
VariablePtr weight(const Layer& layer, const std::string& suffix) {
  for (const auto& w : layer.weights()) {
    const std::string& n = w->name();
    if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        n[n.size() - suffix.size() - 1] == '/')
      return w;
  }
  return nullptr;
}

std::string describe(const Layer& layer) { return layer.className() + " '" + layer.name() + "'"; }

const std::set<std::string> kDroppedClasses = {"Dropout",        "RandomContrast",    "RandomFlip",
                                               "RandomRotation", "RandomTranslation", "RandomZoom"};

class Exporter {
 public:
  explicit Exporter(const ExportOptions& options) : options_(options), g_(options.opset) {}

  ExportedOnnx run(const Model& model) {
    std::vector<Value> inputs;
    std::vector<Shape> inputShapes;
    std::vector<std::string> inputNames;
    if (auto f = dynamic_cast<const Functional*>(&model)) {
      for (const auto& in : f->inputs()) {
        inputShapes.push_back(in.shape());
        inputNames.push_back(in.node->layer->name());
      }
    } else if (auto s = dynamic_cast<const Sequential*>(&model)) {
      if (!s->inputShape())
        fail<FormatError>("cannot export Sequential '", model.name(),
                          "' to ONNX: its input shape is unknown (give the first layer an inputShape, or call the "
                          "model once)");
      inputShapes.push_back(*s->inputShape());
      inputNames.push_back("input");
    } else {
      fail<FormatError>("cannot export ", describe(model), " to ONNX: only Sequential and functional models export");
    }
    for (size_t i = 0; i < inputShapes.size(); ++i) {
      Shape shape = inputShapes[i];
      shape[0] = -1;
      const bool nchw = options_.nchwInput && shape.size() == 4;
      Value v{g_.uniqueName(inputNames[i]), shape, nchw};
      g_.model().inputs.push_back(ValueInfo{v.name, static_cast<int32_t>(DataType::Float), physicalDims(v)});
      inputs.push_back(v);
    }
    const std::vector<Value> outputs = apply(model, inputs);
    std::set<std::string> taken;
    for (const auto& in : inputs) taken.insert(in.name);
    for (Value v : outputs) {
      v = g_.layout(v, options_.nchwInput && v.shape.size() == 4);
      // A graph output must be produced by a node, once.
      if (!taken.insert(v.name).second) v.name = g_.op("Identity", {v.name}, {}, v.name + "_output");
      g_.model().outputs.push_back(ValueInfo{v.name, static_cast<int32_t>(DataType::Float), physicalDims(v)});
    }
    g_.model().graphName = model.name();
    return ExportedOnnx{writeOnnxModel(g_.model()), dropped_};
  }

 private:
  static std::vector<int64_t> physicalDims(const Value& v) {
    if (!v.nchw) return v.shape;
    return {v.shape[0], v.shape[3], v.shape[1], v.shape[2]};
  }

  // A layer or a model nested in the graph, applied to its inputs.
  std::vector<Value> apply(const Layer& layer, const std::vector<Value>& inputs) {
    if (auto f = dynamic_cast<const Functional*>(&layer)) return functional(*f, inputs);
    if (auto s = dynamic_cast<const Sequential*>(&layer)) {
      Value v = inputs.at(0);
      for (const auto& l : s->layers()) v = single(*l, {v});
      return {v};
    }
    if (dynamic_cast<const Model*>(&layer))
      fail<FormatError>("cannot export ", describe(layer), " to ONNX: only Sequential and functional models export");
    std::vector<Shape> shapes;
    for (const auto& v : inputs) shapes.push_back(v.shape);
    Value out = convert(layer, inputs);
    out.shape = layer.computeOutputShape(shapes);
    out.shape[0] = -1;
    if (out.shape.size() != 4) out.nchw = false;
    return {out};
  }

  Value single(const Layer& layer, const std::vector<Value>& inputs) {
    auto outputs = apply(layer, inputs);
    if (outputs.size() != 1)
      fail<FormatError>("cannot export ", describe(layer), " to ONNX: a nested model with ", outputs.size(),
                        " outputs");
    return outputs[0];
  }

  std::vector<Value> functional(const Functional& f, const std::vector<Value>& inputs) {
    std::unordered_map<const Node*, Value> values;
    for (size_t i = 0; i < f.inputs().size(); ++i) values[f.inputs()[i].node.get()] = inputs.at(i);
    for (const auto& node : f.nodes()) {
      if (values.count(node.get())) continue;
      std::vector<Value> ins;
      for (const auto& in : node->inputs) ins.push_back(values.at(in.node.get()));
      values[node.get()] = single(*node->layer, ins);
    }
    std::vector<Value> outputs;
    for (const auto& out : f.outputs()) outputs.push_back(values.at(out.node.get()));
    return outputs;
  }

  // The ONNX ops for one layer; the caller sets the output's shape.
  Value convert(const Layer& layer, const std::vector<Value>& in) {
    const std::string c = layer.className();
    const Json config = layer.getConfig();
    const Value& x = in.at(0);
    if (c == "InputLayer") return x;
    if (kDroppedClasses.count(c)) {
      dropped_.push_back(describe(layer) + ": left out (the identity in inference)");
      return x;
    }
    if (c == "Activation") return activation(config.at("activation").get<std::string>(), x, layer);
    if (c == "ReLU") return relu(layer, config, x);
    if (c == "Softmax") return softmax(x, config.at("axis").get<int64_t>(), layer);
    if (c == "Rescaling") return rescaling(layer, config, x);
    if (c == "Conv2D") return conv2d(layer, config, x);
    if (c == "DepthwiseConv2D") return depthwise(layer, config, x);
    if (c == "SeparableConv2D") return separable(layer, config, x);
    if (c == "Dense") return dense(layer, config, x);
    if (c == "BatchNormalization") return batchNormalization(layer, config, x);
    if (c == "LayerNormalization") return layerNormalization(layer, config, x);
    if (c == "ZeroPadding2D") return zeroPadding(layer, x);
    if (c == "MaxPooling2D" || c == "AveragePooling2D") return pooling(layer, config, x);
    if (c == "GlobalAveragePooling2D" || c == "GlobalMaxPooling2D") return globalPooling(layer, config, x);
    if (c == "Flatten") return flatten(layer, x);
    if (c == "Reshape") return reshape(layer, config, x);
    if (c == "Add" || c == "Multiply") return elementwise(layer, c == "Add" ? "Add" : "Mul", in);
    if (c == "Concatenate") return concatenate(layer, config, in);
    fail<FormatError>("cannot export layer '", layer.name(), "' (class ", c,
                      ") to ONNX: the exporter has no conversion for this class");
  }

  Value sameLayout(const Value& x, const std::string& name) const { return Value{name, x.shape, x.nchw}; }

  Value unary(const std::string& opType, const Value& x, const std::string& base,
              std::vector<Attribute> attributes = {}) {
    return sameLayout(x, g_.op(opType, {x.name}, std::move(attributes), base));
  }
  Value binary(const std::string& opType, const Value& x, const std::string& other, const std::string& base) {
    return sameLayout(x, g_.op(opType, {x.name, other}, {}, base));
  }
  Value clip(const Value& x, double lo, double hi, const std::string& base) {
    return sameLayout(x, g_.op("Clip", {x.name, g_.scalar(lo), g_.scalar(hi)}, {}, base));
  }

  Value activation(const std::string& name, const Value& x, const Layer& layer) {
    const std::string base = layer.name();
    if (name == "linear") return x;
    if (name == "relu") return unary("Relu", x, base);
    if (name == "relu6") return clip(x, 0, 6, base);
    if (name == "elu") return unary("Elu", x, base, {floatAttr("alpha", 1.0)});
    if (name == "selu")
      return unary("Selu", x, base, {floatAttr("alpha", 1.6732632423543772), floatAttr("gamma", 1.0507009873554805)});
    if (name == "sigmoid") return unary("Sigmoid", x, base);
    if (name == "hard_sigmoid") return unary("HardSigmoid", x, base, {floatAttr("alpha", 0.2), floatAttr("beta", 0.5)});
    if (name == "tanh") return unary("Tanh", x, base);
    if (name == "softplus") return unary("Softplus", x, base);
    if (name == "softsign") return unary("Softsign", x, base);
    if (name == "softmax") return softmax(x, -1, layer);
    if (name == "swish") return binary("Mul", x, g_.op("Sigmoid", {x.name}, {}, base + "_sigmoid"), base);
    if (name == "gelu") {  // exact: x * (1 + erf(x / sqrt 2)) / 2
      const Value scaled = binary("Mul", x, g_.scalar(1.0 / std::sqrt(2.0)), base + "_scaled");
      const Value erf = unary("Erf", scaled, base + "_erf");
      const Value half = binary("Mul", x, g_.scalar(0.5), base + "_half");
      return binary("Mul", half, g_.op("Add", {erf.name, g_.scalar(1.0)}, {}, base + "_erf1"), base);
    }
    fail<FormatError>("cannot export layer '", layer.name(), "' (class ", layer.className(),
                      ") to ONNX: no conversion for activation '", name, "'");
  }

  Value relu(const Layer& layer, const Json& config, const Value& x) {
    const std::string base = layer.name();
    const double slope = config.value("negative_slope", 0.0), threshold = config.value("threshold", 0.0);
    const bool hasMax = config.contains("max_value") && !config["max_value"].is_null();
    const double top = hasMax ? config["max_value"].get<double>() : 0.0;
    if (slope == 0 && threshold == 0) return hasMax ? clip(x, 0, top, base) : unary("Relu", x, base);
    if (threshold == 0) {
      const Value leaky = unary("LeakyRelu", x, hasMax ? base + "_leaky" : base, {floatAttr("alpha", slope)});
      return hasMax ? binary("Min", leaky, g_.scalar(top), base) : leaky;
    }
    // y = top where x >= top, x where threshold <= x, slope * (x - threshold) below it.
    const std::string below = g_.op("Less", {x.name, g_.scalar(threshold)}, {}, base + "_below");
    const Value shifted = binary("Sub", x, g_.scalar(threshold), base + "_shifted");
    const Value low = binary("Mul", shifted, g_.scalar(slope), base + "_low");
    const std::string name = hasMax ? base + "_unclipped" : base;
    const Value y = sameLayout(x, g_.op("Where", {below, low.name, x.name}, {}, name));
    if (!hasMax) return y;
    const std::string under = g_.op("Less", {x.name, g_.scalar(top)}, {}, base + "_under");
    return sameLayout(x, g_.op("Where", {under, y.name, g_.scalar(top)}, {}, base));
  }

  Value softmax(const Value& x, int64_t axis, const Layer& layer) {
    const int64_t rank = static_cast<int64_t>(x.shape.size());
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank)
      fail<FormatError>("cannot export ", describe(layer), " to ONNX: softmax axis out of range");
    if (g_.opset() < 13) {
      // Before opset 13 Softmax flattens the axes from `axis` on: exact only over the last one.
      if (axis != rank - 1)
        fail<FormatError>("cannot export ", describe(layer), " to ONNX opset ", g_.opset(), ": softmax over axis ",
                          axis, " needs opset 13 or later");
      const Value v = g_.layout(x, false);
      return unary("Softmax", v, layer.name(), {intAttr("axis", rank - 1)});
    }
    const int64_t physical = x.nchw ? std::find(kToNchw.begin(), kToNchw.end(), axis) - kToNchw.begin() : axis;
    return unary("Softmax", x, layer.name(), {intAttr("axis", physical)});
  }

  Value rescaling(const Layer& layer, const Json& config, const Value& x) {
    const double scale = config.at("scale").get<double>(), offset = config.at("offset").get<double>();
    Value v = x;
    if (scale != 1) v = binary("Mul", v, g_.scalar(scale), offset != 0 ? layer.name() + "_scaled" : layer.name());
    if (offset != 0) v = binary("Add", v, g_.scalar(offset), layer.name());
    return v.name == x.name ? unary("Identity", x, layer.name()) : v;
  }

  // Conv with the layer's bias, then its activation.
  Value convolution(const Layer& layer, const Json& config, const Value& x, const std::string& kernel, int64_t group,
                    const VariablePtr& bias) {
    const Value v = g_.layout(x, true);
    const auto size = pairOf(config, "kernel_size"), strides = pairOf(config, "strides");
    auto attributes = windowAttributes(x.shape, size, strides, config.at("padding") == "same");
    attributes.push_back(intsAttr("dilations", pairOf(config, "dilation_rate")));
    attributes.push_back(intAttr("group", group));
    std::vector<std::string> inputs = {v.name, kernel};
    if (bias) inputs.push_back(g_.initializer(layer.name() + "/bias", bias->shape(), toDoubles(bias->value())));
    const std::string act = config.value("activation", std::string("linear"));
    const std::string base = act == "linear" ? layer.name() : layer.name() + "_conv";
    const Value conv{g_.op("Conv", inputs, attributes, base), x.shape, true};
    return activation(act, conv, layer);
  }

  Value conv2d(const Layer& layer, const Json& config, const Value& x) {
    if (config.value("groups", 1) != 1)
      fail<FormatError>("cannot export ", describe(layer), " to ONNX: grouped convolution");
    const Tensor& k = weight(layer, "kernel")->value();
    const std::vector<int64_t> dims = {k.dim(3), k.dim(2), k.dim(0), k.dim(1)};
    const std::string kernel = g_.initializer(layer.name() + "/kernel", dims, convKernel(k));
    return convolution(layer, config, x, kernel, 1, weight(layer, "bias"));
  }

  Value depthwise(const Layer& layer, const Json& config, const Value& x) {
    const Tensor& k = weight(layer, "depthwise_kernel")->value();
    const std::vector<int64_t> dims = {k.dim(2) * k.dim(3), 1, k.dim(0), k.dim(1)};
    const std::string kernel = g_.initializer(layer.name() + "/depthwise_kernel", dims, depthwiseKernel(k));
    return convolution(layer, config, x, kernel, k.dim(2), weight(layer, "bias"));
  }

  Value separable(const Layer& layer, const Json& config, const Value& x) {
    const Tensor& d = weight(layer, "depthwise_kernel")->value();
    const std::vector<int64_t> dDims = {d.dim(2) * d.dim(3), 1, d.dim(0), d.dim(1)};
    auto attributes = windowAttributes(x.shape, pairOf(config, "kernel_size"), pairOf(config, "strides"),
                                       config.at("padding") == "same");
    attributes.push_back(intAttr("group", d.dim(2)));
    const std::string dKernel = g_.initializer(layer.name() + "/depthwise_kernel", dDims, depthwiseKernel(d));
    const Value depthwiseOut{g_.op("Conv", {g_.layout(x, true).name, dKernel}, attributes, layer.name() + "_depthwise"),
                             x.shape, true};
    const Tensor& p = weight(layer, "pointwise_kernel")->value();
    const std::string pKernel =
        g_.initializer(layer.name() + "/pointwise_kernel", {p.dim(3), p.dim(2), 1, 1}, convKernel(p));
    std::vector<std::string> inputs = {depthwiseOut.name, pKernel};
    if (auto bias = weight(layer, "bias"))
      inputs.push_back(g_.initializer(layer.name() + "/bias", bias->shape(), toDoubles(bias->value())));
    const std::string act = config.value("activation", std::string("linear"));
    const Value conv{g_.op("Conv", inputs, {intsAttr("kernel_shape", {1, 1})},
                           act == "linear" ? layer.name() : layer.name() + "_pointwise"),
                     x.shape, true};
    return activation(act, conv, layer);
  }

  Value dense(const Layer& layer, const Json& config, const Value& x) {
    const Tensor& k = weight(layer, "kernel")->value();
    const std::string kernel = g_.initializer(layer.name() + "/kernel", k.shape(), toDoubles(k));
    const auto bias = weight(layer, "bias");
    const std::string biasName =
        bias ? g_.initializer(layer.name() + "/bias", bias->shape(), toDoubles(bias->value())) : std::string();
    const std::string act = config.value("activation", std::string("linear"));
    const std::string base = act == "linear" ? layer.name() : layer.name() + "_dense";
    Value y;
    if (x.shape.size() == 2) {
      std::vector<std::string> inputs = {x.name, kernel};
      if (bias) inputs.push_back(biasName);
      y = Value{g_.op("Gemm", inputs, {}, base), x.shape, false};
    } else {  // applies to the last axis, in Tanuki's order
      const Value v = g_.layout(x, false);
      y = Value{g_.op("MatMul", {v.name, kernel}, {}, bias ? base + "_matmul" : base), x.shape, false};
      if (bias) y = binary("Add", y, biasName, base);
    }
    return activation(act, y, layer);
  }

  Value batchNormalization(const Layer& layer, const Json& config, const Value& x) {
    const std::string base = layer.name();
    // ONNX's op normalizes axis 1: the channels of [N, C] and of NCHW images. It
    // keeps the moving statistics, which runtimes fold into a Conv before it.
    if (x.shape.size() == 4 || x.shape.size() == 2) {
      const Value v = g_.layout(x, true);
      const auto mean = weight(layer, "moving_mean"), variance = weight(layer, "moving_variance");
      const int64_t channels = mean->shape()[0];
      const auto param = [&](const char* name, double absent) {
        const auto w = weight(layer, name);
        return g_.initializer(base + "/" + name, {channels},
                              w ? toDoubles(w->value()) : std::vector<double>(static_cast<size_t>(channels), absent));
      };
      const std::vector<std::string> inputs = {v.name, param("gamma", 1.0), param("beta", 0.0),
                                               param("moving_mean", 0.0), param("moving_variance", 1.0)};
      return Value{
          g_.op("BatchNormalization", inputs, {floatAttr("epsilon", config.at("epsilon").get<double>())}, base),
          x.shape, x.shape.size() == 4};
    }
    // Other ranks normalize the last axis: y = x * scale + shift, broadcast.
    const ChannelAffine affine = layer.channelAffine();
    const int64_t channels = static_cast<int64_t>(affine.scale.size());
    const Value scaled = binary("Mul", x, g_.initializer(base + "/scale", {channels}, affine.scale), base + "_scaled");
    return binary("Add", scaled, g_.initializer(base + "/shift", {channels}, affine.shift), base);
  }

  Value layerNormalization(const Layer& layer, const Json& config, const Value& x) {
    const Value v = g_.layout(x, false);
    const int64_t rank = static_cast<int64_t>(x.shape.size());
    std::vector<int64_t> axes;
    for (const Json& a : config.at("axis").is_array() ? config.at("axis") : Json::array({config.at("axis")}))
      axes.push_back(a.get<int64_t>() < 0 ? a.get<int64_t>() + rank : a.get<int64_t>());
    std::sort(axes.begin(), axes.end());
    const double epsilon = config.at("epsilon").get<double>();
    const auto gamma = weight(layer, "gamma"), beta = weight(layer, "beta");
    const std::string base = layer.name();
    if (g_.opset() >= 17) {
      const Shape normalized(x.shape.begin() + axes.front(), x.shape.end());
      int64_t count = 1;
      for (int64_t d : normalized) count *= d;
      const std::string scale = gamma ? g_.initializer(base + "/gamma", normalized, toDoubles(gamma->value()))
                                      : g_.initializer(base + "/gamma", normalized, std::vector<double>(count, 1.0));
      std::vector<std::string> inputs = {v.name, scale};
      if (beta) inputs.push_back(g_.initializer(base + "/beta", normalized, toDoubles(beta->value())));
      return Value{
          g_.op("LayerNormalization", inputs, {intAttr("axis", axes.front()), floatAttr("epsilon", epsilon)}, base),
          x.shape, false};
    }
    const auto mean = [&](const std::string& in, const std::string& name) {
      return g_.op("ReduceMean", {in}, {intsAttr("axes", axes), intAttr("keepdims", 1)}, name);
    };
    const std::string centred = g_.op("Sub", {v.name, mean(v.name, base + "_mean")}, {}, base + "_centred");
    const std::string squares = g_.op("Mul", {centred, centred}, {}, base + "_squares");
    const std::string variance = mean(squares, base + "_variance");
    const std::string deviation =
        g_.op("Sqrt", {g_.op("Add", {variance, g_.scalar(epsilon)}, {}, base + "_var_eps")}, {}, base + "_deviation");
    std::string y = g_.op("Div", {centred, deviation}, {}, gamma || beta ? base + "_normalized" : base);
    if (gamma)
      y = g_.op("Mul", {y, g_.initializer(base + "/gamma", gamma->shape(), toDoubles(gamma->value()))}, {},
                beta ? base + "_scaled" : base);
    if (beta) y = g_.op("Add", {y, g_.initializer(base + "/beta", beta->shape(), toDoubles(beta->value()))}, {}, base);
    return Value{y, x.shape, false};
  }

  Value zeroPadding(const Layer& layer, const Value& x) {
    const kernels::Padding2D& p = *layer.zeroPadding();
    const Value v = g_.layout(x, true);
    const std::string pads = g_.int64s(layer.name() + "/pads", {0, 0, p.top, p.left, 0, 0, p.bottom, p.right});
    const std::string out = g_.op("Pad", {v.name, pads}, {stringAttr("mode", "constant")}, layer.name());
    zeroPadded_[out] = p;
    return Value{out, x.shape, true};
  }

  // ONNX Runtime's optimizer folds a zero Pad into a following MaxPool's pads,
  // which MaxPool fills with -inf: the windows that overlap the zeros would then
  // miss them. Max with a constant (0 for those windows, the lowest float for the
  // others) gives ONNX's answer whether or not the runtime folds the Pad.
  Value keepZeroPadding(const Value& pooled, const kernels::Padding2D& zeros, const Shape& padded,
                        const std::vector<int64_t>& size, const std::vector<int64_t>& strides,
                        const std::vector<int64_t>& pads, const std::string& base) {
    const int64_t h = padded[1], w = padded[2];
    const int64_t oh = (h + pads[0] + pads[2] - size[0]) / strides[0] + 1;
    const int64_t ow = (w + pads[1] + pads[3] - size[1]) / strides[1] + 1;
    // Whether rows [first, first + count) of the padded input, clipped to it, hold a padded row.
    const auto touches = [](int64_t first, int64_t count, int64_t n, int64_t before, int64_t after) {
      const int64_t lo = std::max<int64_t>(first, 0), hi = std::min(first + count, n);
      return lo < before || hi > n - after;
    };
    std::vector<double> lowest(static_cast<size_t>(oh * ow));
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        const bool zero = touches(i * strides[0] - pads[0], size[0], h, zeros.top, zeros.bottom) ||
                          touches(j * strides[1] - pads[1], size[1], w, zeros.left, zeros.right);
        lowest[static_cast<size_t>(i * ow + j)] = zero ? 0.0 : -std::numeric_limits<float>::max();
      }
    const std::string mask = g_.initializer(base + "/zero_padding_floor", {1, 1, oh, ow}, std::move(lowest));
    return Value{g_.op("Max", {pooled.name, mask}, {}, base), pooled.shape, true};
  }

  Value pooling(const Layer& layer, const Json& config, const Value& x) {
    const Value v = g_.layout(x, true);
    const auto attributes = windowAttributes(x.shape, pairOf(config, "pool_size"), pairOf(config, "strides"),
                                             config.at("padding") == "same");
    // AveragePool's default count_include_pad = 0 averages over the taps inside the input, as Keras does.
    const bool max = layer.className() == "MaxPooling2D";
    const auto zeros = zeroPadded_.find(v.name);
    const auto size = pairOf(config, "pool_size"), strides = pairOf(config, "strides");
    const auto pads = windowPads(x.shape, size, strides, config.at("padding") == "same");
    if (max && zeros != zeroPadded_.end() && !pads.empty()) {
      const Value pooled{g_.op("MaxPool", {v.name}, attributes, layer.name() + "_pool"), x.shape, true};
      return keepZeroPadding(pooled, zeros->second, x.shape, size, strides, pads, layer.name());
    }
    return Value{g_.op(max ? "MaxPool" : "AveragePool", {v.name}, attributes, layer.name()), x.shape, true};
  }

  Value globalPooling(const Layer& layer, const Json& config, const Value& x) {
    const Value v = g_.layout(x, true);
    const std::string opType = layer.className() == "GlobalMaxPooling2D" ? "GlobalMaxPool" : "GlobalAveragePool";
    const bool keepdims = config.value("keepdims", false);
    const std::string pooled = g_.op(opType, {v.name}, {}, keepdims ? layer.name() : layer.name() + "_pooled");
    if (keepdims) return Value{pooled, x.shape, true};
    return Value{g_.op("Flatten", {pooled}, {intAttr("axis", 1)}, layer.name()), x.shape, false};
  }

  Value flatten(const Layer& layer, const Value& x) {
    // Keras flattens in [h, w, c] order; over 1 x 1 images NCHW's order is the same.
    const bool sameOrder = x.shape.size() == 4 && x.shape[1] == 1 && x.shape[2] == 1;
    const Value v = sameOrder ? x : g_.layout(x, false);
    return Value{g_.op("Flatten", {v.name}, {intAttr("axis", 1)}, layer.name()), x.shape, false};
  }

  Value reshape(const Layer& layer, const Json& config, const Value& x) {
    const Value v = g_.layout(x, false);
    std::vector<int64_t> shape = {0};  // 0: the batch dimension, copied from the input
    for (int64_t d : config.at("target_shape").get<std::vector<int64_t>>()) shape.push_back(d);
    const std::string target = g_.int64s(layer.name() + "/shape", shape);
    return Value{g_.op("Reshape", {v.name, target}, {}, layer.name()), x.shape, false};
  }

  Value elementwise(const Layer& layer, const std::string& opType, const std::vector<Value>& in) {
    // ONNX's Add and Mul broadcast as the layers do (inputs of one rank, sizes
    // equal or 1), in either layout.
    const bool nchw = in[0].nchw;
    std::string acc = in[0].name;
    Shape shape = in[0].shape;
    for (size_t i = 1; i < in.size(); ++i) {
      acc = g_.op(opType, {acc, g_.layout(in[i], nchw).name}, {},
                  i + 1 == in.size() ? layer.name() : layer.name() + "_" + std::to_string(i));
      shape = broadcastShape(shape, in[i].shape).value_or(shape);
    }
    return Value{acc, shape, nchw};
  }

  Value concatenate(const Layer& layer, const Json& config, const std::vector<Value>& in) {
    const bool nchw = in[0].nchw;
    const int64_t rank = static_cast<int64_t>(in[0].shape.size());
    int64_t axis = config.at("axis").get<int64_t>();
    if (axis < 0) axis += rank;
    if (nchw) axis = std::find(kToNchw.begin(), kToNchw.end(), axis) - kToNchw.begin();
    std::vector<std::string> names;
    for (const auto& v : in) names.push_back(g_.layout(v, nchw).name);
    return Value{g_.op("Concat", names, {intAttr("axis", axis)}, layer.name()), in[0].shape, nchw};
  }

  const ExportOptions& options_;
  Graph g_;
  std::vector<std::string> dropped_;
  // The outputs of ZeroPadding2D's Pad nodes, with their padding.
  std::map<std::string, kernels::Padding2D> zeroPadded_;
};

}  // namespace

ExportedOnnx exportOnnxModel(const Model& model, const ExportOptions& options) {
  if (options.opset < kMinExportOpset || options.opset > kMaxExportOpset)
    fail<ValueError>("ONNX export: opset ", options.opset, " is not supported (", kMinExportOpset, " to ",
                     kMaxExportOpset, ")");
  return Exporter(options).run(model);
}

std::vector<std::string> exportableLayerClasses() {
  std::vector<std::string> classes = {"Activation",
                                      "Add",
                                      "AveragePooling2D",
                                      "BatchNormalization",
                                      "Concatenate",
                                      "Conv2D",
                                      "Dense",
                                      "DepthwiseConv2D",
                                      "Flatten",
                                      "GlobalAveragePooling2D",
                                      "GlobalMaxPooling2D",
                                      "InputLayer",
                                      "LayerNormalization",
                                      "MaxPooling2D",
                                      "Multiply",
                                      "ReLU",
                                      "Rescaling",
                                      "Reshape",
                                      "SeparableConv2D",
                                      "Softmax",
                                      "ZeroPadding2D"};
  classes.insert(classes.end(), kDroppedClasses.begin(), kDroppedClasses.end());
  std::sort(classes.begin(), classes.end());
  return classes;
}

}  // namespace tanuki::io::onnx
