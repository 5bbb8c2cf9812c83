#include "io/onnx/onnx_import.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "io/layer_names.h"
#include "io/onnx/onnx_constants.h"
#include "layers/merging/broadcast.h"
#include "layers/registry.h"
#include "models/functional.h"
#include "util/errors.h"

namespace tanuki::io::onnx {

namespace {

// How a Tanuki tensor holds an ONNX value. ChannelsFirst: the ONNX value is
// [N, C, H, W] and Tanuki holds [N, H, W, C]. Plain: same dimensions.
enum class Layout { Plain, ChannelsFirst };

// The Transpose perms that change an image's layout: NHWC -> NCHW and back.
const std::vector<int64_t> kToChannelsFirst = {0, 3, 1, 2}, kToChannelsLast = {0, 2, 3, 1};

struct Value {
  std::optional<Constant> constant;
  SymbolicTensor tensor;
  std::vector<int64_t> dims;  // ONNX dimensions; dims[0] is the batch (-1)
  Layout layout = Layout::Plain;
  // A rank-2 value flattened from an ONNX [C, H, W] feature map: Tanuki's
  // features are in (h, w, c) order, ONNX's in (c, h, w) order.
  std::optional<std::array<int64_t, 3>> flattenedChw;
  // The Dense layer this value is the output of, whose bias a following
  // Add of a constant can absorb (MatMul + Add is how exporters write Gemm).
  LayerPtr dense;

  bool isConstant() const { return constant.has_value(); }
  int64_t rank() const { return static_cast<int64_t>(dims.size()); }
  // Whether Tanuki's row-major order of the elements equals ONNX's.
  bool sameElementOrder() const {
    if (flattenedChw) return false;
    return layout == Layout::Plain || dims[1] == 1 || (dims[2] == 1 && dims[3] == 1);
  }
};

const std::set<std::string>& supportedOps() {
  static const std::set<std::string> ops = {"Add",
                                            "AveragePool",
                                            "BatchNormalization",
                                            "Cast",
                                            "Clip",
                                            "Concat",
                                            "Constant",
                                            "ConstantOfShape",
                                            "Conv",
                                            "Div",
                                            "Dropout",
                                            "Elu",
                                            "Erf",
                                            "Flatten",
                                            "Gather",
                                            "Gemm",
                                            "GlobalAveragePool",
                                            "GlobalMaxPool",
                                            "HardSigmoid",
                                            "HardSwish",
                                            "Identity",
                                            "LayerNormalization",
                                            "LeakyRelu",
                                            "Less",
                                            "MatMul",
                                            "Max",
                                            "MaxPool",
                                            "Min",
                                            "Mul",
                                            "Pad",
                                            "ReduceMean",
                                            "Relu",
                                            "Reshape",
                                            "Selu",
                                            "Shape",
                                            "Sigmoid",
                                            "Slice",
                                            "Softmax",
                                            "Softplus",
                                            "Softsign",
                                            "Sqrt",
                                            "Squeeze",
                                            "Sub",
                                            "Tanh",
                                            "Transpose",
                                            "Unsqueeze",
                                            "Where"};
  return ops;
}

std::string dimsText(const std::vector<int64_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? ", " : "") + (dims[i] < 0 ? std::string("N") : std::to_string(dims[i]));
  return s + "]";
}

Json pairJson(int64_t a, int64_t b) { return Json::array({a, b}); }

// A layer an exporter writes as several ops, imported as one layer of
// `input` at the pattern's last node (the others are skipped). `weights`
// names initializers the layer's weights come from.
struct Fusion {
  std::string className;
  Json config;
  std::string input;
  std::vector<std::string> weights;
};

// A node's tensor operand and scalar constant.
struct ScalarOperand {
  std::string tensor;
  double value;
};

class Importer {
 public:
  // flipGuessedLayouts: read the 4-D inputs whose layout only the shape
  // suggests the other way round (the retry of importOnnxModel).
  Importer(const OnnxModel& model, const ImportOptions& options, bool flipGuessedLayouts = false)
      : model_(model), options_(options), flipGuessedLayouts_(flipGuessedLayouts) {}

  // Whether some 4-D input's layout was guessed from its shape alone.
  bool guessedLayout() const { return guessedLayout_; }
  // How many nodes were converted (when run() failed: before the culprit).
  size_t converted() const { return converted_; }

  ModelPtr run() {
    if (model_.opset < kMinOpset || model_.opset > kMaxOpset)
      fail<FormatError>("ONNX opset ", model_.opset, " is not supported (Tanuki imports opsets ", kMinOpset, " to ",
                        kMaxOpset, ")");
    for (const auto& [name, t] : model_.initializers) values_[name] = constantValue(Constant::of(t));
    for (const NodeProto& node : model_.nodes) {
      for (const std::string& in : node.inputs) {
        ++readers_[in];
        consumers_[in].push_back(&node);
      }
      for (const std::string& out : node.outputs) producers_[out] = &node;
    }
    for (const ValueInfo& out : model_.outputs) ++readers_[out.name];
    findActivationPatterns();
    std::vector<SymbolicTensor> inputs, outputs;
    for (const ValueInfo& in : model_.inputs) {
      if (model_.initializers.count(in.name)) continue;  // IR < 4 lists initializers as inputs too
      inputs.push_back(addInput(in));
    }
    if (inputs.empty()) fail<FormatError>("ONNX graph has no inputs");
    for (const NodeProto& node : model_.nodes) convert(node);
    for (const ValueInfo& out : model_.outputs) {
      const Value& v = value(out.name, "the graph output");
      if (v.isConstant())
        fail<FormatError>("ONNX graph output '", out.name,
                          "' is a constant; Tanuki models compute their outputs from inputs");
      if (!v.sameElementOrder() && v.layout == Layout::Plain)
        fail<FormatError>("ONNX graph output '", out.name,
                          "' is a flattened NCHW feature map, whose element order a NHWC model cannot reproduce");
      outputs.push_back(v.tensor);
    }
    return std::make_shared<Functional>(
        inputs, outputs, sanitizeLayerName(model_.producer.empty() ? "onnx_model" : model_.producer + "_model"));
  }

 private:
  // --- values -----------------------------------------------------------------
  static Value constantValue(Constant c) {
    Value v;
    v.dims = c.dims;
    v.constant = std::move(c);
    return v;
  }

  Value symbolic(SymbolicTensor t, std::vector<int64_t> dims, Layout layout) {
    Value v;
    v.tensor = std::move(t);
    v.dims = std::move(dims);
    v.dims[0] = -1;
    v.layout = v.dims.size() == 4 ? layout : Layout::Plain;
    return v;
  }

  const Value& value(const std::string& name, const std::string& reader) const {
    auto it = values_.find(name);
    if (it == values_.end())
      fail<FormatError>("ONNX value '", name, "' read by ", reader, " is produced by no earlier node");
    return it->second;
  }

  SymbolicTensor addInput(const ValueInfo& in) {
    const std::string label = "ONNX graph input '" + in.name + "'";
    if (in.elemType != 1)
      fail<FormatError>(label, " has element type ", dataTypeName(in.elemType), "; Tanuki models take float32 inputs");
    if (!in.dims || in.dims->size() < 2)
      fail<FormatError>(label,
                        " must have a batch dimension and at least one more (its shape is not declared as such)");
    std::vector<int64_t> dims = *in.dims;
    if (declaredBatch_ == 0) declaredBatch_ = dims[0];
    // An image input is NCHW unless its last dimension looks like channels
    // and its second does not (a graph exported from a NHWC framework).
    // A graph that transposes the input to NCHW (Tanuki's exports with
    // inputLayout 'nhwc') or to NHWC says which it is.
    bool channelsLast = dims.size() == 4 && (dims[3] == 1 || dims[3] == 3 || dims[3] == 4) &&
                        !(dims[1] == 1 || dims[1] == 3 || dims[1] == 4);
    if (dims.size() == 4) {
      if (readOnlyByTranspose(in.name, kToChannelsFirst))
        channelsLast = true;
      else if (readByTranspose(in.name, kToChannelsLast))
        channelsLast = false;
      else {
        guessedLayout_ = true;
        if (flipGuessedLayouts_) channelsLast = !channelsLast;
      }
    }
    const Layout layout = dims.size() == 4 && !channelsLast ? Layout::ChannelsFirst : Layout::Plain;
    Shape shape(dims.begin() + 1, dims.end());
    if (layout == Layout::ChannelsFirst) shape = {dims[2], dims[3], dims[1]};
    if (options_.inputShape) {
      const Shape& given = *options_.inputShape;
      if (given.size() != shape.size())
        fail<FormatError>(label, " has ", shape.size(), " dimensions besides the batch; inputShape gives ",
                          given.size());
      for (size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] > 0 && given[i] != shape[i])
          fail<FormatError>(label, ": inputShape ", shapeToString(given), " contradicts the declared ",
                            shapeToString(shape));
        shape[i] = given[i];
      }
    }
    for (int64_t d : shape)
      if (d <= 0)
        fail<FormatError>(label, " has dynamic dimensions (", shapeToString(shape),
                          " as [h, w, c]); pass options.inputShape to fix them");
    if (layout == Layout::ChannelsFirst)
      dims = {-1, shape[2], shape[0], shape[1]};
    else
      std::copy(shape.begin(), shape.end(), dims.begin() + 1);
    SymbolicTensor t = makeInput(shape, uniqueName(in.name, "input"));
    values_[in.name] = symbolic(t, dims, layout);
    return t;
  }

  // Whether every reader of `name` is a Transpose with this perm (and the graph does not output it).
  bool readOnlyByTranspose(const std::string& name, const std::vector<int64_t>& perm) const {
    auto it = consumers_.find(name);
    if (it == consumers_.end() || static_cast<int>(it->second.size()) != readers_.at(name)) return false;
    for (const NodeProto* n : it->second)
      if (!isTranspose(*n, perm)) return false;
    return true;
  }
  bool readByTranspose(const std::string& name, const std::vector<int64_t>& perm) const {
    auto it = consumers_.find(name);
    if (it == consumers_.end()) return false;
    return std::any_of(it->second.begin(), it->second.end(), [&](const NodeProto* n) { return isTranspose(*n, perm); });
  }
  static bool isTranspose(const NodeProto& n, const std::vector<int64_t>& perm) {
    if (n.opType != "Transpose" || !(n.domain.empty() || n.domain == "ai.onnx")) return false;
    const Attribute* a = n.attribute("perm");
    return a && a->ints == perm;
  }

  // --- layers -------------------------------------------------------------------
  std::string uniqueName(const std::string& wanted, const std::string& fallback) {
    return names_.unique(wanted, fallback);
  }

  SymbolicTensor apply(const std::string& className, Json config, const std::vector<SymbolicTensor>& inputs,
                       const std::vector<Tensor>& weights = {}, const std::string& role = "") {
    const std::string wanted = node_->name.empty() ? node_->opType : node_->name;
    config["name"] = uniqueName(role.empty() ? wanted : wanted + "_" + role, "layer");
    // A layer refusing what the node asks of it (a padding too large, a shape
    // it cannot take) is a fault of the file: a FormatError naming the node.
    try {
      LayerPtr layer = createLayer(className, config);
      SymbolicTensor out = applySymbolic(layer, inputs);
      if (!weights.empty()) layer->setWeights(weights);
      lastLayer_ = layer;
      return out;
    } catch (const ValueError& error) {
      refuse(error.what());
    }
  }

  // --- node conversion ---------------------------------------------------------------
  [[noreturn]] void refuse(const std::string& why) const {
    fail<FormatError>("ONNX ", node_->opType, " node '", node_->name, "' (opset ", model_.opset, "): ", why);
  }

  std::string where() const { return "ONNX " + node_->opType + " node '" + node_->name + "'"; }

  const Value& input(size_t i) const {
    if (i >= node_->inputs.size() || node_->inputs[i].empty()) refuse("input " + std::to_string(i) + " is missing");
    return value(node_->inputs[i], where());
  }
  bool hasInput(size_t i) const { return i < node_->inputs.size() && !node_->inputs[i].empty(); }
  const Constant& constantInput(size_t i, const std::string& what) const {
    const Value& v = input(i);
    if (!v.isConstant())
      refuse(what + " must be a constant (an initializer or computed from shapes), not a tensor computed by the model");
    return *v.constant;
  }
  const Value& tensorInput(size_t i) const {
    const Value& v = input(i);
    if (v.isConstant())
      refuse("its input " + std::to_string(i) + " is a constant where Tanuki expects the model's tensor");
    return v;
  }

  int64_t intAttr(const char* name, int64_t fallback) const {
    const Attribute* a = node_->attribute(name);
    return a ? a->i : fallback;
  }
  double floatAttr(const char* name, double fallback) const {
    const Attribute* a = node_->attribute(name);
    return a ? a->f : fallback;
  }
  std::string stringAttr(const char* name, const std::string& fallback) const {
    const Attribute* a = node_->attribute(name);
    return a ? a->s : fallback;
  }
  std::optional<std::vector<int64_t>> intsAttr(const char* name) const {
    const Attribute* a = node_->attribute(name);
    if (!a) return std::nullopt;
    return a->ints;
  }
  // An integer list that moved from an attribute to an input at some opset (axes, pads ...).
  std::optional<std::vector<int64_t>> intsFrom(const char* attribute, size_t inputIndex) const {
    if (auto a = intsAttr(attribute)) return a;
    if (hasInput(inputIndex)) return constantInput(inputIndex, attribute).ints(where() + " " + attribute);
    return std::nullopt;
  }

  void output(Value v, size_t i = 0) {
    if (i < node_->outputs.size() && !node_->outputs[i].empty()) values_[node_->outputs[i]] = std::move(v);
  }

  void convert(const NodeProto& node) {
    node_ = &node;
    ++converted_;
    if (!node.domain.empty() && node.domain != "ai.onnx")
      fail<FormatError>("ONNX op '", node.opType, "' of domain '", node.domain, "' (node '", node.name,
                        "') is not supported: Tanuki imports the default ONNX domain only");
    if (!supportedOps().count(node.opType)) {
      std::string list;
      for (const std::string& op : supportedOps()) list += (list.empty() ? "" : ", ") + op;
      fail<FormatError>("ONNX op '", node.opType, "' (node '", node.name, "', opset ", model_.opset,
                        ") is not supported by Tanuki's importer (supported: ", list, ")");
    }
    if (node.outputs.empty()) refuse("it has no outputs");
    if (absorbed_.count(&node)) return;  // part of a pattern its last node imports
    if (auto fused = fused_.find(&node); fused != fused_.end()) {
      const Value& in = value(fused->second.input, where());
      if (in.isConstant()) refuse("the input of the pattern it ends is a constant");
      if (fused->second.className == "LayerNormalization") return layerNormalization(in, fused->second);
      if (fused->second.className == "BatchNormalization") return lastAxisAffine(in, fused->second);
      return output(unaryLayer(in, fused->second.className, fused->second.config));
    }
    bool allConstant = true;
    for (size_t i = 0; i < node.inputs.size(); ++i)
      if (hasInput(i) && !input(i).isConstant()) allConstant = false;
    const std::string& op = node.opType;
    if (op == "Constant") return output(constantValue(constantAttribute()));
    if (op == "Shape") return output(constantValue(shapeOf(input(0))));
    if (op == "ConstantOfShape") return output(constantValue(constantOfShape()));
    if (allConstant) return output(constantValue(foldNode()));
    if (op == "Conv") return conv();
    if (op == "BatchNormalization") return batchNormalization();
    if (op == "Gemm" || op == "MatMul") return dense();
    if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") return binary();
    if (op == "AveragePool" || op == "MaxPool") return pool();
    if (op == "GlobalAveragePool" || op == "GlobalMaxPool" || op == "ReduceMean") return globalPool();
    if (op == "Flatten" || op == "Reshape" || op == "Squeeze" || op == "Unsqueeze") return reshape();
    if (op == "Transpose") return transpose();
    if (op == "Concat") return concat();
    if (op == "Pad") return pad();
    if (op == "Softmax") return softmax();
    if (op == "Max" || op == "Min") return minMax();
    if (op == "LayerNormalization") return layerNormalization();
    if (op == "Dropout") return dropout();
    if (op == "Identity" || op == "Cast") return identity();
    return activation();
  }

  // --- constants --------------------------------------------------------------------
  Constant constantAttribute() const {
    for (const Attribute& a : node_->attributes) {
      if (a.name == "value" && a.t) return Constant::of(*a.t);
      if (a.name == "value_float") return Constant{{}, {a.f}, {}, false};
      if (a.name == "value_floats") return Constant{{static_cast<int64_t>(a.floats.size())}, a.floats, {}, false};
      if (a.name == "value_int") return Constant{{}, {static_cast<double>(a.i)}, {}, true};
      if (a.name == "value_ints") {
        Constant c{{static_cast<int64_t>(a.ints.size())}, {}, {}, true};
        for (int64_t v : a.ints) c.values.push_back(static_cast<double>(v));
        return c;
      }
    }
    refuse("it has no tensor, float or integer value (sparse and string constants are not supported)");
  }

  Constant shapeOf(const Value& v) const {
    const auto rank = v.rank();
    int64_t start = normalizeClamped(intAttr("start", 0), rank), end = normalizeClamped(intAttr("end", rank), rank);
    Constant c{{std::max<int64_t>(0, end - start)}, {}, {}, true};
    for (int64_t i = start; i < end; ++i) {
      c.values.push_back(static_cast<double>(v.dims[i]));
      c.batch.push_back(!v.isConstant() && i == 0);
    }
    return c;
  }
  static int64_t normalizeClamped(int64_t axis, int64_t rank) {
    return std::clamp<int64_t>(axis < 0 ? axis + rank : axis, 0, rank);
  }

  Constant constantOfShape() const {
    const std::vector<int64_t> dims = constantInput(0, "the shape").ints(where() + ": the shape");
    const Attribute* a = node_->attribute("value");
    Constant fill = a && a->t ? Constant::of(*a->t) : Constant{{1}, {0.0}, {}, false};
    if (fill.size() != 1) refuse("its value must hold one element");
    int64_t n = 1;
    for (int64_t d : dims) {
      if (d < 0 || (d > 0 && n > (int64_t{1} << 24) / d)) refuse("the shape is negative or too large");
      n *= d;
    }
    return Constant{dims, std::vector<double>(static_cast<size_t>(n), fill.values[0]), {}, fill.isInteger};
  }

  Constant foldNode() const {
    const std::string& op = node_->opType;
    const std::string w = where();
    const Constant& a = constantInput(0, "input 0");
    if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div")
      return foldElementwise(op, a, constantInput(1, "input 1"), w);
    if (op == "Gather") return foldGather(a, constantInput(1, "the indices"), intAttr("axis", 0), w);
    if (op == "Slice") {
      if (model_.opset < 10)
        return foldSlice(a, intsAttr("starts").value_or(std::vector<int64_t>{}),
                         intsAttr("ends").value_or(std::vector<int64_t>{}),
                         intsAttr("axes").value_or(std::vector<int64_t>{}), {}, w);
      auto list = [&](size_t i) {
        return hasInput(i) ? constantInput(i, "a slice bound").ints(w) : std::vector<int64_t>{};
      };
      return foldSlice(a, list(1), list(2), list(3), list(4), w);
    }
    if (op == "Concat") {
      std::vector<Constant> parts;
      for (size_t i = 0; i < node_->inputs.size(); ++i) parts.push_back(constantInput(i, "an input"));
      return foldConcat(parts, intAttr("axis", 0), w);
    }
    if (op == "Transpose") return foldTranspose(a, intsAttr("perm").value_or(std::vector<int64_t>{}), w);
    if (op == "Cast") return foldCast(a, intAttr("to", 1), w);
    if (op == "Identity" || op == "Dropout") return a;
    if (op == "Unsqueeze" || op == "Squeeze" || op == "Reshape" || op == "Flatten")
      return withDims(a, reshapedDims(a.dims), w);
    refuse("Tanuki does not evaluate this op on constants");
  }

  // --- shapes -------------------------------------------------------------------------
  // a * b for dimension products, which a hostile file can push past int64.
  int64_t times(int64_t a, int64_t b) const {
    int64_t out;
    if (__builtin_mul_overflow(a, b, &out)) refuse("its dimensions are too large");
    return out;
  }

  // The ONNX output dimensions of a Reshape, Flatten, Squeeze or Unsqueeze.
  std::vector<int64_t> reshapedDims(const std::vector<int64_t>& in) const {
    const std::string& op = node_->opType;
    const auto rank = static_cast<int64_t>(in.size());
    if (op == "Flatten") {
      const int64_t axis = normalizeAxis(intAttr("axis", 1), rank + 1, where());
      if (rank > 0 && in[0] == -1 && axis != 1) refuse("only axis 1 is supported (the batch stays apart)");
      int64_t outer = 1, inner = 1;
      for (int64_t i = 0; i < rank; ++i) (i < axis ? outer : inner) = times(i < axis ? outer : inner, in[i]);
      return {outer, inner};
    }
    if (op == "Squeeze") {
      std::vector<int64_t> axes = intsFrom("axes", 1).value_or(std::vector<int64_t>{});
      std::vector<bool> drop(rank, false);
      for (int64_t a : axes) drop[normalizeAxis(a, rank, where())] = true;
      std::vector<int64_t> out;
      for (int64_t i = 0; i < rank; ++i) {
        if (axes.empty() && in[i] == 1) continue;
        if (drop[i]) {
          if (in[i] != 1) refuse("it squeezes axis " + std::to_string(i) + " of size " + std::to_string(in[i]));
          continue;
        }
        out.push_back(in[i]);
      }
      return out;
    }
    if (op == "Unsqueeze") {
      const std::vector<int64_t> axes = intsFrom("axes", 1).value_or(std::vector<int64_t>{});
      const auto outRank = rank + static_cast<int64_t>(axes.size());
      std::vector<bool> inserted(outRank, false);
      for (int64_t a : axes) {
        const int64_t axis = normalizeAxis(a, outRank, where());
        if (inserted[axis]) refuse("an axis is repeated");
        inserted[axis] = true;
      }
      std::vector<int64_t> out;
      for (int64_t i = 0, from = 0; i < outRank; ++i) out.push_back(inserted[i] ? 1 : in[from++]);
      return out;
    }
    const Constant& shape = constantInput(1, "the target shape");
    const bool allowZero = intAttr("allowzero", 0) != 0;
    const bool batched = !in.empty() && in[0] == -1;
    std::vector<int64_t> out;
    int64_t inferred = -1;
    for (int64_t i = 0; i < shape.size(); ++i) {
      if (shape.isBatch(i)) {
        if (i != 0 || !batched) refuse("it moves the batch dimension");
        out.push_back(-1);
        continue;
      }
      if (!(std::abs(shape.values[i]) < 0x1p62)) refuse("the target shape has an entry out of range");
      int64_t d = static_cast<int64_t>(shape.values[i]);
      if (d == 0 && !allowZero) {
        if (i >= rank) refuse("a 0 in the target shape has no dimension to copy");
        d = in[i];
      }
      if (batched && i == 0) {
        // The batch: copied, inferred, or the fixed batch size the graph declares.
        if (d == -1)
          inferred = 0;
        else if (d != declaredBatch_)
          refuse("the target shape's first entry " + std::to_string(d) + " is not the batch");
        out.push_back(-1);
        continue;
      }
      if (d == -1) {
        if (inferred >= 0) refuse("the target shape has two entries to infer");
        inferred = i;
      } else if (d < 0) {
        refuse("the target shape has a negative entry");
      }
      out.push_back(d);
    }
    if (out.empty()) refuse("the target shape is empty");
    int64_t total = 1, known = 1;
    for (int64_t i = batched ? 1 : 0; i < rank; ++i) total = times(total, in[i]);
    for (int64_t i = batched ? 1 : 0; i < static_cast<int64_t>(out.size()); ++i)
      if (i != inferred) known = times(known, out[i]);
    if (inferred > 0 || (!batched && inferred == 0)) {
      if (known == 0 || total % known != 0)
        refuse("the target shape " + dimsText(out) + " does not fit " + dimsText(in));
      out[inferred] = total / known;
    } else if (known != total) {
      refuse("the target shape " + dimsText(out) + " does not hold the " + std::to_string(total) +
             " values per example of " + dimsText(in));
    }
    return out;
  }

  // A value with new ONNX dimensions, the elements in ONNX order unchanged.
  Value reshapedTo(const Value& in, const std::vector<int64_t>& dims) {
    if (dims.size() < 2) refuse("the result has no dimension besides the batch");
    if (dims[0] != -1) refuse("the batch dimension would move");
    if (dims == in.dims) return in;
    const bool toImage = dims.size() == 4;
    if (in.layout == Layout::ChannelsFirst && !in.sameElementOrder() && dims.size() == 2) {
      Value v = symbolic(apply("Flatten", Json::object(), {in.tensor}), dims, Layout::Plain);
      v.flattenedChw = std::array<int64_t, 3>{in.dims[1], in.dims[2], in.dims[3]};
      return v;
    }
    if (in.flattenedChw && toImage && dims[1] == (*in.flattenedChw)[0] && dims[2] == (*in.flattenedChw)[1] &&
        dims[3] == (*in.flattenedChw)[2])
      return symbolic(apply("Reshape", {{"target_shape", Json::array({dims[2], dims[3], dims[1]})}}, {in.tensor}), dims,
                      Layout::ChannelsFirst);
    if (!in.sameElementOrder())
      refuse("it reshapes " + dimsText(in.dims) + " to " + dimsText(dims) +
             ", which in NHWC needs a transpose Tanuki has no layer for");
    Value out;
    out.dims = dims;
    // A 4-D result is NCHW, unless the graph transposes it to NCHW (an NHWC
    // feature map, as Tanuki's exports reshape).
    const bool channelsFirst = toImage && !readOnlyByTranspose(node_->outputs[0], kToChannelsFirst);
    out.layout = channelsFirst ? Layout::ChannelsFirst : Layout::Plain;
    if (toImage && !out.sameElementOrder())
      refuse("it reshapes to the feature map " + dimsText(dims) +
             ", which in NHWC needs a transpose Tanuki has no layer for");
    Shape target(dims.begin() + 1, dims.end());
    if (channelsFirst) target = {dims[2], dims[3], dims[1]};
    const Shape current = in.tensor.shape();
    if (target == Shape(current.begin() + 1, current.end())) {
      out.tensor = in.tensor;
      return out;
    }
    out.tensor = target.size() == 1 ? apply("Flatten", Json::object(), {in.tensor})
                                    : apply("Reshape", {{"target_shape", target}}, {in.tensor});
    return out;
  }

  void reshape() {
    const Value& in = tensorInput(0);
    output(reshapedTo(in, reshapedDims(in.dims)));
  }

  void transpose() {
    const Value& in = tensorInput(0);
    std::vector<int64_t> perm = intsAttr("perm").value_or(std::vector<int64_t>{});
    if (perm.empty())
      for (int64_t i = in.rank() - 1; i >= 0; --i) perm.push_back(i);
    std::vector<int64_t> identityPerm;
    for (int64_t i = 0; i < in.rank(); ++i) identityPerm.push_back(i);
    if (perm == identityPerm) return output(in);
    if (in.rank() != 4 || in.flattenedChw)
      refuse("Tanuki has no transpose layer; only NCHW <-> NHWC transposes of images are imported");
    Value out = in;
    if (in.layout == Layout::ChannelsFirst && perm == kToChannelsLast) {
      out.layout = Layout::Plain;
      out.dims = {-1, in.dims[2], in.dims[3], in.dims[1]};
    } else if (in.layout == Layout::Plain && perm == kToChannelsFirst) {
      out.layout = Layout::ChannelsFirst;
      out.dims = {-1, in.dims[3], in.dims[1], in.dims[2]};
    } else {
      refuse("perm " + dimsText(perm) +
             " is not supported: Tanuki has no transpose layer; only NCHW <-> NHWC transposes of images are imported");
    }
    out.dense = nullptr;
    output(out);
  }

  // Tanuki's axis for an ONNX axis of this value.
  int64_t tanukiAxis(const Value& v, int64_t onnxAxis) const {
    const int64_t axis = normalizeAxis(onnxAxis, v.rank(), where());
    if (axis == 0) refuse("it works along the batch axis, which Tanuki's layers do not");
    if (v.layout == Layout::ChannelsFirst) return std::array<int64_t, 4>{0, 3, 1, 2}[axis];
    return axis;
  }

  // --- convolution and pooling ------------------------------------------------------------
  struct Window {
    int64_t kh, kw, sh, sw;
    std::array<int64_t, 4> pads;  // top, left, bottom, right
  };

  Window window(const Value& in, int64_t kh, int64_t kw) const {
    if (auto d = intsAttr("dilations"); d && (d->size() != 2 || (*d)[0] != 1 || (*d)[1] != 1))
      refuse("dilations " + dimsText(*d) + " are not supported (Tanuki's convolutions and pools take dilation 1)");
    Window w{kh, kw, 1, 1, {0, 0, 0, 0}};
    if (auto s = intsAttr("strides")) {
      if (s->size() != 2 || (*s)[0] < 1 || (*s)[1] < 1) refuse("strides must be 2 positive integers");
      w.sh = (*s)[0];
      w.sw = (*s)[1];
    }
    const std::string autoPad = stringAttr("auto_pad", "NOTSET");
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      const std::array<int64_t, 2> size{in.dims[2], in.dims[3]}, k{kh, kw}, s{w.sh, w.sw};
      for (int i = 0; i < 2; ++i) {
        const int64_t outSize = (size[i] + s[i] - 1) / s[i];
        const int64_t total = std::max<int64_t>(0, (outSize - 1) * s[i] + k[i] - size[i]);
        const int64_t small = total / 2;
        w.pads[i] = autoPad == "SAME_UPPER" ? small : total - small;
        w.pads[i + 2] = total - w.pads[i];
      }
    } else if (autoPad == "NOTSET") {
      if (auto p = intsAttr("pads")) {
        if (p->size() != 4) refuse("pads must hold 4 values for a 2-D window");
        for (int i = 0; i < 4; ++i) {
          if ((*p)[i] < 0) refuse("negative pads are not supported");
          if ((*p)[i] > (int64_t{1} << 24)) refuse("pads of more than 2^24 are not supported");
          w.pads[i] = (*p)[i];
        }
      }
    } else if (autoPad != "VALID") {
      refuse("auto_pad '" + autoPad + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
    }
    return w;
  }

  // Whether the pads are those of Keras's padding "same" for this input.
  static bool isSamePadding(const Value& in, const Window& w) {
    const std::array<int64_t, 2> size{in.dims[2], in.dims[3]}, k{w.kh, w.kw}, s{w.sh, w.sw};
    for (int i = 0; i < 2; ++i) {
      const int64_t outSize = (size[i] + s[i] - 1) / s[i];
      const int64_t total = std::max<int64_t>(0, (outSize - 1) * s[i] + k[i] - size[i]);
      if (w.pads[i] != total / 2 || w.pads[i + 2] != total - total / 2) return false;
    }
    return true;
  }
  static bool isUnpadded(const Window& w) { return w.pads == std::array<int64_t, 4>{0, 0, 0, 0}; }

  SymbolicTensor zeroPadded(const SymbolicTensor& x, const std::array<int64_t, 4>& p) {
    return apply("ZeroPadding2D", {{"padding", Json::array({pairJson(p[0], p[2]), pairJson(p[1], p[3])})}}, {x}, {},
                 "pad");
  }

  const Value& imageInput() const {
    const Value& in = tensorInput(0);
    if (in.rank() != 4 || in.layout != Layout::ChannelsFirst)
      refuse("its input must be a 4-D NCHW image tensor, got " + dimsText(in.dims));
    return in;
  }

  void conv() {
    const Value& in = imageInput();
    const Constant& w = constantInput(1, "the weights");
    if (w.dims.size() != 4) refuse("the weights must be 4-D [M, C/group, kH, kW]");
    const int64_t m = w.dims[0], cg = w.dims[1], kh = w.dims[2], kw = w.dims[3], c = in.dims[1];
    const int64_t group = intAttr("group", 1);
    if (auto k = intsAttr("kernel_shape"); k && (*k != std::vector<int64_t>{kh, kw}))
      refuse("kernel_shape disagrees with the weights");
    const bool depthwise = group == c && group > 1 && cg == 1 && m % c == 0;
    if (!depthwise && (group != 1 || cg != c))
      refuse("group " + std::to_string(group) + " with " + std::to_string(c) +
             " input channels is not supported (only 1 and depthwise, group = channels)");
    Window win = window(in, kh, kw);
    std::optional<Tensor> bias;
    if (hasInput(2)) {
      const Constant& b = constantInput(2, "the bias");
      if (b.size() != m) refuse("the bias must hold one value per output channel");
      bias = Tensor({m}, std::vector<float>(b.values.begin(), b.values.end()));
    }
    SymbolicTensor x = in.tensor;
    std::string padding = "valid";
    if (!isUnpadded(win)) {
      if (isSamePadding(in, win))
        padding = "same";
      else
        x = zeroPadded(x, win.pads);
    }
    Json config = {{"kernel_size", pairJson(kh, kw)},
                   {"strides", pairJson(win.sh, win.sw)},
                   {"padding", padding},
                   {"use_bias", bias.has_value()}};
    // ONNX's [m, in, kh, kw] as Keras's [kh, kw, in, m]. A depthwise kernel
    // ([c * mult, 1, kh, kw]) comes out as [kh, kw, 1, c * mult], which is
    // Keras's [kh, kw, c, mult] in memory: output channel ch * mult + j.
    const int64_t perGroup = depthwise ? 1 : c;  // input channels each output reads
    if (depthwise) {
      config["depth_multiplier"] = m / c;
    } else {
      config["filters"] = m;
    }
    Tensor kernel = Tensor::uninitialized(depthwise ? Shape{kh, kw, c, m / c} : Shape{kh, kw, c, m});
    float* k = kernel.data();
    for (int64_t y = 0; y < kh; ++y)
      for (int64_t xx = 0; xx < kw; ++xx)
        for (int64_t i = 0; i < perGroup; ++i)
          for (int64_t o = 0; o < m; ++o)
            k[((y * kw + xx) * perGroup + i) * m + o] =
                static_cast<float>(w.values[((o * perGroup + i) * kh + y) * kw + xx]);
    std::vector<Tensor> weights{kernel};
    if (bias) weights.push_back(*bias);
    SymbolicTensor out = apply(depthwise ? "DepthwiseConv2D" : "Conv2D", config, {x}, weights);
    const Shape s = out.shape();
    output(symbolic(out, {-1, s[3], s[1], s[2]}, Layout::ChannelsFirst));
  }

  void pool() {
    const Value& in = imageInput();
    const auto k = intsAttr("kernel_shape");
    if (!k || k->size() != 2) refuse("kernel_shape must hold 2 values (2-D pooling)");
    if (intAttr("storage_order", 0) != 0) refuse("storage_order 1 is not supported");
    if (node_->outputs.size() > 1 && !node_->outputs[1].empty()) refuse("the Indices output is not supported");
    Window win = window(in, (*k)[0], (*k)[1]);
    const bool average = node_->opType == "AveragePool";
    SymbolicTensor x = in.tensor;
    std::string padding = "valid";
    if (!isUnpadded(win)) {
      if (average && intAttr("count_include_pad", 0) != 0) {
        x = zeroPadded(x, win.pads);  // the padded zeros count, as they do in a padded input
      } else if (isSamePadding(in, win)) {
        padding = "same";  // Keras's "same" pooling ignores the padding, as ONNX does here
      } else {
        refuse("pads " + dimsText({win.pads.begin(), win.pads.end()}) +
               " are not Keras's \"same\" padding for this input, which Tanuki's pools need");
      }
    }
    if (intAttr("ceil_mode", 0) != 0)
      for (int i = 0; i < 2; ++i) {
        const int64_t padded = in.dims[2 + i] + win.pads[i] + win.pads[2 + i], stride = i ? win.sw : win.sh;
        if ((padded - (*k)[i]) % stride != 0)
          refuse("ceil_mode 1 changes the output size here, which Tanuki's pools do not support");
      }
    SymbolicTensor out = apply(
        average ? "AveragePooling2D" : "MaxPooling2D",
        {{"pool_size", pairJson((*k)[0], (*k)[1])}, {"strides", pairJson(win.sh, win.sw)}, {"padding", padding}}, {x});
    const Shape s = out.shape();
    output(symbolic(out, {-1, s[3], s[1], s[2]}, Layout::ChannelsFirst));
  }

  void globalPool() {
    if (const Value& x = tensorInput(0); node_->opType == "ReduceMean" && x.layout != Layout::ChannelsFirst)
      refuse(
          "only the mean over the spatial axes [2, 3] of an NCHW image is supported, and LayerNormalization "
          "written as ReduceMean, Sub, Mul, ReduceMean, Add, Sqrt and Div (then Mul by gamma, Add beta)");
    const Value& in = imageInput();
    bool keepdims = true;
    if (node_->opType == "ReduceMean") {
      std::vector<int64_t> axes = intsFrom("axes", 1).value_or(std::vector<int64_t>{});
      for (int64_t& a : axes) a = normalizeAxis(a, 4, where());
      std::sort(axes.begin(), axes.end());
      if (axes != std::vector<int64_t>{2, 3})
        refuse("only the mean over the spatial axes [2, 3] of an image is supported");
      keepdims = intAttr("keepdims", 1) != 0;
    }
    const bool average = node_->opType != "GlobalMaxPool";
    SymbolicTensor out = apply(average ? "GlobalAveragePooling2D" : "GlobalMaxPooling2D", Json::object(), {in.tensor});
    // Kept dimensions come from a Reshape rather than the pool's keepdims,
    // which TF.js's pooling layers do not read (a saved model must load there).
    if (keepdims) out = apply("Reshape", {{"target_shape", Json::array({1, 1, in.dims[1]})}}, {out}, {}, "keepdims");
    output(symbolic(out, keepdims ? std::vector<int64_t>{-1, in.dims[1], 1, 1} : std::vector<int64_t>{-1, in.dims[1]},
                    Layout::ChannelsFirst));
  }

  void pad() {
    const Value& in = imageInput();
    if (stringAttr("mode", "constant") != "constant")
      refuse("mode '" + stringAttr("mode", "") + "' is not supported (only constant)");
    const std::vector<int64_t> pads = intsFrom("pads", 1).value_or(std::vector<int64_t>{});
    if (pads.size() != 8) refuse("pads must hold 8 values for a 4-D input");
    if (hasInput(2) && constantInput(2, "the pad value").values.at(0) != 0)
      refuse("only padding with zeros is supported");
    if (model_.opset < 11 && floatAttr("value", 0) != 0) refuse("only padding with zeros is supported");
    if (hasInput(3)) refuse("the axes input is not supported");
    if (pads[0] || pads[1] || pads[4] || pads[5]) refuse("only the spatial axes of an image can be padded");
    for (int64_t p : pads)
      if (p < 0) refuse("negative pads (cropping) are not supported");
    SymbolicTensor out =
        apply("ZeroPadding2D", {{"padding", Json::array({pairJson(pads[2], pads[6]), pairJson(pads[3], pads[7])})}},
              {in.tensor});
    const Shape s = out.shape();
    output(symbolic(out, {-1, s[3], s[1], s[2]}, Layout::ChannelsFirst));
  }

  // --- normalization and dense -------------------------------------------------------------
  void batchNormalization() {
    const Value& in = tensorInput(0);
    if (intAttr("training_mode", 0) != 0 || (node_->outputs.size() > 1 && !node_->outputs[1].empty()))
      refuse("training mode (the running-statistics outputs) is not supported");
    if (in.rank() != 4 && in.rank() != 2) refuse("only 2-D [N, C] and 4-D [N, C, H, W] inputs are supported");
    if (in.flattenedChw) refuse("its input is a flattened NCHW feature map");
    const int64_t c = in.dims[1];
    std::vector<Tensor> weights;
    const char* what[] = {"the scale", "the bias", "the mean", "the variance"};
    for (size_t i = 1; i <= 4; ++i) {
      const Constant& p = constantInput(i, what[i - 1]);
      if (p.size() != c) refuse(std::string(what[i - 1]) + " must hold one value per channel");
      weights.emplace_back(Shape{c}, std::vector<float>(p.values.begin(), p.values.end()));
    }
    Json config = {{"axis", -1}, {"epsilon", floatAttr("epsilon", 1e-5)}, {"momentum", floatAttr("momentum", 0.9)}};
    output(symbolic(apply("BatchNormalization", config, {in.tensor}, weights), in.dims, in.layout));
  }

  void dense() {
    const bool gemm = node_->opType == "Gemm";
    const Value& a = tensorInput(0);
    // MatMul over the last axis of a tensor in Tanuki's order is a Dense layer too.
    const bool lastAxis = !gemm && a.rank() > 2 && a.layout == Layout::Plain;
    if (a.rank() != 2 && !lastAxis)
      refuse("its input must be 2-D [N, K] (or, for MatMul, a tensor in NHWC order), got " + dimsText(a.dims));
    const Constant& b = constantInput(1, "the weights (B)");
    if (b.dims.size() != 2) refuse("the weights (B) must be 2-D");
    if (gemm && intAttr("transA", 0) != 0) refuse("transA 1 is not supported (the batch would move)");
    const bool transB = gemm && intAttr("transB", 0) != 0;
    const double alpha = gemm ? floatAttr("alpha", 1.0) : 1.0, beta = gemm ? floatAttr("beta", 1.0) : 1.0;
    const int64_t k = transB ? b.dims[1] : b.dims[0], units = transB ? b.dims[0] : b.dims[1];
    if (k != a.dims.back())
      refuse("the weights hold " + std::to_string(k) + " inputs, the input has " + std::to_string(a.dims.back()));
    Tensor kernel = Tensor::uninitialized({k, units});
    float* kp = kernel.data();
    for (int64_t row = 0; row < k; ++row) {
      // Tanuki's feature `row`, in ONNX's order when the input was flattened from NCHW.
      int64_t from = row;
      if (a.flattenedChw) {
        const auto [c, h, w] = *a.flattenedChw;
        const int64_t ch = row % c, x = (row / c) % w, y = row / (c * w);
        from = (ch * h + y) * w + x;
      }
      for (int64_t u = 0; u < units; ++u)
        kp[row * units + u] =
            static_cast<float>(alpha * (transB ? b.values[u * k + from] : b.values[from * units + u]));
    }
    Tensor bias({units}, 0.0f);
    if (gemm && hasInput(2)) {
      const Constant& cst = constantInput(2, "the bias (C)");
      if (!(cst.size() == 1 || (cst.size() == units && cst.dims.back() == units)))
        refuse("the bias (C) must be a scalar or hold one value per output");
      for (int64_t u = 0; u < units; ++u)
        bias.data()[u] = static_cast<float>(beta * cst.values[cst.size() == 1 ? 0 : u]);
    }
    std::vector<int64_t> dims = a.dims;
    dims.back() = units;
    Value out = symbolic(apply("Dense", {{"units", units}}, {a.tensor}, {kernel, bias}), dims, Layout::Plain);
    out.dense = lastLayer_;
    output(out);
  }

  // --- element-wise ------------------------------------------------------------------------
  void binary() {
    const std::string& op = node_->opType;
    const Value& a = input(0);
    const Value& b = input(1);
    if (!a.isConstant() && !b.isConstant()) return binaryOfTensors(a, b);
    const bool constantFirst = a.isConstant();
    const Value& x = constantFirst ? b : a;
    const Constant& c = constantFirst ? *a.constant : *b.constant;
    if (c.anyBatch()) refuse("it computes with the batch size");
    if (constantFirst && op == "Div") refuse("dividing a constant by a tensor is not supported");
    if (static_cast<int64_t>(c.dims.size()) > x.rank()) refuse("the constant has more dimensions than the tensor");
    // The operation as y = x * scale + offset, per element of the constant.
    auto scaleOffset = [&](double v) -> std::pair<double, double> {
      if (op == "Add") return {1, v};
      if (op == "Mul") return {v, 0};
      if (op == "Div") return {1 / v, 0};
      return constantFirst ? std::pair<double, double>{-1, v} : std::pair<double, double>{1, -v};
    };
    if (c.size() == 1) {
      const auto [scale, offset] = scaleOffset(c.values[0]);
      Value out = x;
      out.dense = nullptr;
      out.tensor = apply("Rescaling", {{"scale", scale}, {"offset", offset}}, {x.tensor});
      return output(out);
    }
    // One value per channel of an image: a frozen 1x1 depthwise convolution.
    const std::vector<int64_t> perChannel = channelDims(x, c);
    if (!perChannel.empty() && x.layout == Layout::ChannelsFirst) {
      const int64_t ch = x.dims[1];
      Tensor kernel({1, 1, ch, 1}), bias({ch});
      for (int64_t i = 0; i < ch; ++i) {
        const auto [scale, offset] = scaleOffset(c.values[i]);
        kernel.data()[i] = static_cast<float>(scale);
        bias.data()[i] = static_cast<float>(offset);
      }
      Value out = x;
      out.tensor = apply("DepthwiseConv2D", {{"kernel_size", pairJson(1, 1)}, {"use_bias", true}, {"trainable", false}},
                         {x.tensor}, {kernel, bias});
      return output(out);
    }
    // A bias after a matrix product: the Dense layer absorbs it.
    if (x.dense && x.layout == Layout::Plain && c.size() == x.dims.back() && c.dims.back() == x.dims.back() &&
        (op == "Add" || (op == "Sub" && !constantFirst)) && readers_[nodeInputName(constantFirst ? 1 : 0)] == 1) {
      std::vector<Tensor> weights = x.dense->getWeights();
      for (int64_t u = 0; u < x.dims.back(); ++u)
        weights[1].data()[u] += static_cast<float>(scaleOffset(c.values[u]).second);
      x.dense->setWeights(weights);
      return output(x);
    }
    refuse("broadcasting a constant of shape " + dimsText(c.dims) + " over " + dimsText(x.dims) +
           " is not supported (scalars, one value per image channel, and biases after MatMul/Gemm are)");
  }

  const std::string& nodeInputName(size_t i) const { return node_->inputs[i]; }

  // The constant's dims when it holds one value per channel of the image x.
  static std::vector<int64_t> channelDims(const Value& x, const Constant& c) {
    if (x.rank() != 4 || x.layout != Layout::ChannelsFirst) return {};
    std::vector<int64_t> d(4 - c.dims.size(), 1);
    d.insert(d.end(), c.dims.begin(), c.dims.end());
    if (d[0] != 1 || d[1] != x.dims[1] || d[2] != 1 || d[3] != 1) return {};
    return d;
  }

  void binaryOfTensors(const Value& a, const Value& b) {
    const std::string& op = node_->opType;
    // Tanuki's Add and Multiply broadcast like Keras's: one rank, and sizes
    // equal or 1 along each axis (a squeeze-excite gate [N, C, 1, 1] over its
    // feature map [N, C, H, W]). Both in one layout, the axes correspond.
    const std::optional<Shape> dims = broadcastShape(a.dims, b.dims);
    const bool fits = dims && a.layout == b.layout && a.flattenedChw == b.flattenedChw;
    if (!fits)
      refuse("broadcasting between tensors " + dimsText(a.dims) + " and " + dimsText(b.dims) +
             " is not supported (Tanuki's Add and Multiply layers take tensors of one rank whose sizes are equal or "
             "1 along each axis)");
    if (op == "Div") refuse("dividing two tensors is not supported (Tanuki has no division layer)");
    SymbolicTensor rhs = b.tensor;
    if (op == "Sub") rhs = apply("Rescaling", {{"scale", -1.0}, {"offset", 0.0}}, {b.tensor}, {}, "negate");
    Value out = a;
    out.dims = *dims;
    out.dense = nullptr;
    out.tensor = apply(op == "Mul" ? "Multiply" : "Add", Json::object(), {a.tensor, rhs});
    output(out);
  }

  Value unaryLayer(const Value& in, const std::string& className, const Json& config, const std::string& role = "") {
    Value out = in;
    out.dense = nullptr;
    out.tensor = apply(className, config, {in.tensor}, {}, role);
    return out;
  }

  std::optional<double> clipBound(const char* attribute, size_t inputIndex) const {
    if (model_.opset < 11) {
      if (const Attribute* a = node_->attribute(attribute)) return a->f;
      return std::nullopt;
    }
    if (!hasInput(inputIndex)) return std::nullopt;
    return constantInput(inputIndex, attribute).values.at(0);
  }

  void activation() {
    const std::string& op = node_->opType;
    const Value& in = tensorInput(0);
    if (op == "Relu") return output(unaryLayer(in, "ReLU", Json::object()));
    if (op == "LeakyRelu") return output(unaryLayer(in, "ReLU", {{"negative_slope", floatAttr("alpha", 0.01)}}));
    if (op == "Sigmoid" || op == "Tanh" || op == "Softplus" || op == "Softsign")
      return output(unaryLayer(in, "Activation",
                               {{"activation", op == "Sigmoid"    ? "sigmoid"
                                               : op == "Tanh"     ? "tanh"
                                               : op == "Softplus" ? "softplus"
                                                                  : "softsign"}}));
    if (op == "Elu") {
      if (floatAttr("alpha", 1.0) != 1.0) refuse("only alpha 1 is supported (Keras's elu)");
      return output(unaryLayer(in, "Activation", {{"activation", "elu"}}));
    }
    if (op == "Clip") {
      const std::optional<double> low = clipBound("min", 1), high = clipBound("max", 2);
      if (!low || *low != 0) refuse("only a lower bound of 0 is supported (Clip(0, max) is ReLU(max_value))");
      Json config = Json::object();
      if (high && std::isfinite(*high)) config["max_value"] = *high;
      return output(unaryLayer(in, "ReLU", config));
    }
    if (op == "HardSigmoid") {
      const double alpha = floatAttr("alpha", 0.2), beta = floatAttr("beta", 0.5);
      if (alpha == 0.2f && beta == 0.5f) return output(unaryLayer(in, "Activation", {{"activation", "hard_sigmoid"}}));
      Value scaled = unaryLayer(in, "Rescaling", {{"scale", alpha}, {"offset", beta}}, "scale");
      return output(unaryLayer(scaled, "ReLU", {{"max_value", 1.0}}));
    }
    if (op == "Selu") {
      // Keras's selu constants, as float32 (what a file can hold).
      if (std::abs(floatAttr("alpha", 1.67326319217681884765625) - 1.6732632423543772) > 1e-6 ||
          std::abs(floatAttr("gamma", 1.05070102214813232421875) - 1.0507009873554805) > 1e-6)
        refuse("only Keras's selu constants (alpha 1.6732632, gamma 1.0507010) are supported");
      return output(unaryLayer(in, "Activation", {{"activation", "selu"}}));
    }
    if (op == "Erf") refuse("Erf is imported only as part of gelu, x * 0.5 * (1 + erf(x / sqrt(2)))");
    if (op == "Sqrt")
      refuse(
          "Sqrt is imported only as part of LayerNormalization written as ReduceMean, Sub, Mul, ReduceMean, Add, "
          "Sqrt and Div");
    if (op == "Less" || op == "Where")
      refuse(
          "Less and Where are imported only as ReLU's threshold, Where(x < t, slope * (x - t), x), optionally "
          "followed by Where(x < max, y, max)");
    if (op != "HardSwish") refuse("Tanuki evaluates this op only on constants, and its input is the model's tensor");
    // HardSwish: x * clip(x / 6 + 1/2, 0, 1).
    Value gate = unaryLayer(in, "Rescaling", {{"scale", 1.0 / 6.0}, {"offset", 0.5}}, "gate_scale");
    gate = unaryLayer(gate, "ReLU", {{"max_value", 1.0}}, "gate");
    Value out = in;
    out.dense = nullptr;
    out.tensor = apply("Multiply", Json::object(), {in.tensor, gate.tensor});
    output(out);
  }

  void softmax() {
    const Value& in = tensorInput(0);
    int64_t axis = normalizeAxis(intAttr("axis", model_.opset < 13 ? 1 : -1), in.rank(), where());
    if (model_.opset < 13) {
      // Softmax then works over all axes from `axis` on, flattened: one axis
      // when the others are of size 1 (the channels of a pooled image).
      std::vector<int64_t> wide;
      for (int64_t i = axis; i < in.rank(); ++i)
        if (in.dims[i] != 1) wide.push_back(i);
      if (wide.size() > 1) refuse("softmax over several axes is not supported");
      if (wide.size() == 1) axis = wide[0];
    }
    if (tanukiAxis(in, axis) != in.rank() - 1)
      refuse("softmax over axis " + std::to_string(axis) + " of " + dimsText(in.dims) +
             " is not supported (Tanuki's Softmax works over the last axis of its tensor)");
    output(unaryLayer(in, "Softmax", {{"axis", -1}}));
  }

  void dropout() {
    const Value& in = tensorInput(0);
    double rate = floatAttr("ratio", 0.5);
    if (model_.opset >= 12 && hasInput(1)) rate = constantInput(1, "the ratio").values.at(0);
    if (hasInput(2) && constantInput(2, "training_mode").values.at(0) != 0)
      refuse("training_mode true is not supported");
    if (node_->outputs.size() > 1 && !node_->outputs[1].empty() && readers_[node_->outputs[1]] > 0)
      refuse("the mask output is not supported");
    if (rate <= 0) return output(in);
    if (rate >= 1) refuse("a ratio of 1 or more is not supported");
    output(unaryLayer(in, "Dropout", {{"rate", rate}}));
  }

  void identity() {
    const Value& in = tensorInput(0);
    if (node_->opType == "Cast" && intAttr("to", 1) != 1)
      refuse("casting the model's float tensor to another type is not supported");
    Value out = in;
    out.dense = nullptr;
    output(out);
  }

  void concat() {
    std::vector<SymbolicTensor> parts;
    const Value& first = tensorInput(0);
    const int64_t axis = normalizeAxis(intAttr("axis", 0), first.rank(), where());
    for (size_t i = 0; i < node_->inputs.size(); ++i) {
      const Value& v = tensorInput(i);
      if (v.rank() != first.rank() || v.layout != first.layout || v.flattenedChw)
        refuse("its inputs differ in layout or are flattened feature maps");
      parts.push_back(v.tensor);
    }
    std::vector<int64_t> dims = first.dims;
    dims[axis] = 0;
    for (size_t i = 0; i < node_->inputs.size(); ++i) dims[axis] += input(i).dims[axis];
    const int64_t tAxis = tanukiAxis(first, axis);
    Value out = first;
    out.dense = nullptr;
    out.dims = dims;
    out.tensor = parts.size() == 1 ? parts[0] : apply("Concatenate", {{"axis", tAxis}}, parts);
    output(out);
  }

  // --- activations written as several ops ---------------------------------------------------
  const NodeProto* producer(const std::string& name) const {
    auto it = producers_.find(name);
    return it == producers_.end() ? nullptr : it->second;
  }
  int readers(const std::string& name) const {
    auto it = readers_.find(name);
    return it == readers_.end() ? 0 : it->second;
  }
  // The only node reading `name` (which is no graph output).
  const NodeProto* soleReader(const std::string& name) const {
    auto it = consumers_.find(name);
    if (it == consumers_.end() || it->second.size() != 1 || readers(name) != 1) return nullptr;
    return it->second[0];
  }
  std::optional<double> scalarInitializer(const std::string& name) const {
    auto it = model_.initializers.find(name);
    if (it == model_.initializers.end() || it->second.values.size() != 1) return std::nullopt;
    return it->second.values[0];
  }
  // n's operands when it is `opType`(tensor, scalar initializer), or (scalar, tensor) for a commutative op.
  std::optional<ScalarOperand> withScalar(const NodeProto* n, const std::string& opType, bool commutative) const {
    if (!n || n->opType != opType || n->inputs.size() != 2 || n->outputs.size() != 1) return std::nullopt;
    const auto& in = n->inputs;
    if (auto c = scalarInitializer(in[1]); c && !model_.initializers.count(in[0])) return ScalarOperand{in[0], *c};
    if (auto c = scalarInitializer(in[0]); commutative && c && !model_.initializers.count(in[1]))
      return ScalarOperand{in[1], *c};
    return std::nullopt;
  }

  void findActivationPatterns() {
    for (const NodeProto& node : model_.nodes) {
      if (node.opType == "Erf") findGelu(node);
      if (node.opType == "Where") findThresholdRelu(node);
      if (node.opType == "Min") findCappedLeakyRelu(node);
      if (node.opType == "ReduceMean") findLayerNormalization(node);
      if (node.opType == "Mul") findLastAxisAffine(node);
    }
  }

  // BatchNormalization of a tensor that is no image nor [N, C], as Tanuki's
  // exports write it: Mul by a [C] scale, then Add a [C] shift.
  void findLastAxisAffine(const NodeProto& mul) {
    if (absorbed_.count(&mul) || mul.inputs.size() != 2 || mul.outputs.size() != 1 ||
        model_.initializers.count(mul.inputs[0]))
      return;  // (LayerNormalization's gamma is such a Mul too)
    const auto vector = [&](const std::string& name) {
      auto it = model_.initializers.find(name);
      return it != model_.initializers.end() && it->second.dims.size() == 1 && it->second.dims[0] > 1;
    };
    const NodeProto* add = soleReader(mul.outputs[0]);
    if (!vector(mul.inputs[1]) || !add || add->opType != "Add" || add->inputs.size() != 2 ||
        add->inputs[0] != mul.outputs[0] || !vector(add->inputs[1]) ||
        model_.initializers.at(add->inputs[1]).dims != model_.initializers.at(mul.inputs[1]).dims)
      return;
    absorbed_.insert(&mul);
    fused_[add] = Fusion{"BatchNormalization", Json::object(), mul.inputs[0], {mul.inputs[1], add->inputs[1]}};
  }

  // y = x * scale + shift over the last axis of a tensor in Tanuki's order: a
  // BatchNormalization of mean 0 and variance 1. Elsewhere the Mul and the Add
  // import one by one.
  void lastAxisAffine(const Value& in, const Fusion& f) {
    const Constant& scale = *value(f.weights[0], where()).constant;
    const Constant& shift = *value(f.weights[1], where()).constant;
    const int64_t c = scale.size();
    if (in.layout != Layout::Plain || in.flattenedChw || in.dims.back() != c) {
      const NodeProto* add = node_;
      node_ = producer(add->inputs[0]);
      binary();
      node_ = add;
      return binary();
    }
    constexpr float epsilon = 1e-3f;
    const auto floats = [](const Constant& k) { return std::vector<float>(k.values.begin(), k.values.end()); };
    const std::vector<Tensor> weights = {Tensor({c}, floats(scale)), Tensor({c}, floats(shift)), Tensor({c}, 0.0f),
                                         Tensor({c}, 1.0f - epsilon)};
    output(symbolic(apply("BatchNormalization", {{"axis", -1}, {"epsilon", epsilon}}, {in.tensor}, weights), in.dims,
                    Layout::Plain));
  }

  std::optional<std::vector<int64_t>> reduceMeanAxes(const NodeProto* n) const {
    if (!n || n->opType != "ReduceMean" || n->inputs.size() != 1 || n->outputs.size() != 1) return std::nullopt;
    const Attribute* axes = n->attribute("axes");
    const Attribute* keepdims = n->attribute("keepdims");
    if (!axes || (keepdims && keepdims->i != 1)) return std::nullopt;
    return axes->ints;
  }

  // LayerNormalization before opset 17: mean = ReduceMean(x), c = x - mean,
  // Div(c, Sqrt(ReduceMean(c * c) + epsilon)), then Mul by gamma, Add beta.
  void findLayerNormalization(const NodeProto& mean) {
    const auto axes = reduceMeanAxes(&mean);
    if (!axes || axes->empty() || (*axes)[0] < 1) return;
    for (size_t i = 1; i < axes->size(); ++i)
      if ((*axes)[i] != (*axes)[i - 1] + 1) return;
    const std::string& x = mean.inputs[0];
    const NodeProto* centre = soleReader(mean.outputs[0]);
    if (!centre || centre->opType != "Sub" || centre->inputs != std::vector<std::string>{x, mean.outputs[0]} ||
        centre->outputs.size() != 1)
      return;
    const std::string& centred = centre->outputs[0];
    if (readers(centred) != 3) return;  // the square (twice) and the division
    const NodeProto* square = nullptr;
    const NodeProto* divide = nullptr;
    const auto readersOfCentred = consumers_.find(centred);
    if (readersOfCentred == consumers_.end()) return;
    for (const NodeProto* n : readersOfCentred->second) {
      if (n->outputs.size() != 1) return;
      if (n->opType == "Mul" && n->inputs == std::vector<std::string>{centred, centred}) square = n;
      if (n->opType == "Div" && n->inputs.size() == 2 && n->inputs[0] == centred) divide = n;
    }
    if (!square || !divide) return;
    const NodeProto* variance = soleReader(square->outputs[0]);
    if (reduceMeanAxes(variance) != axes) return;
    const NodeProto* plusEpsilon = soleReader(variance->outputs[0]);
    const auto epsilon = withScalar(plusEpsilon, "Add", true);
    if (!epsilon || epsilon->value < 0) return;
    const NodeProto* root = soleReader(plusEpsilon->outputs[0]);
    if (!root || root->opType != "Sqrt" || root->outputs.size() != 1 || divide->inputs[1] != root->outputs[0] ||
        readers(root->outputs[0]) != 1)
      return;
    Fusion f{"LayerNormalization", {{"axis", *axes}, {"epsilon", epsilon->value}}, x, {"", ""}};
    std::vector<const NodeProto*> parts = {&mean, centre, square, variance, plusEpsilon, root};
    const NodeProto* last = divide;
    const auto byInitializer = [&](const char* opType) -> const NodeProto* {
      const NodeProto* n = soleReader(last->outputs[0]);
      if (!n || n->opType != opType || n->inputs.size() != 2 || n->inputs[0] != last->outputs[0] ||
          !model_.initializers.count(n->inputs[1]) || n->outputs.size() != 1)
        return nullptr;
      return n;
    };
    if (const NodeProto* scale = byInitializer("Mul")) {
      f.weights[0] = scale->inputs[1];
      parts.push_back(last);
      last = scale;
    }
    if (const NodeProto* shift = byInitializer("Add")) {
      f.weights[1] = shift->inputs[1];
      parts.push_back(last);
      last = shift;
    }
    absorbed_.insert(parts.begin(), parts.end());
    fused_[last] = f;
  }

  // gelu, x * 0.5 * (1 + erf(x / sqrt 2)): Mul(x, 1/sqrt 2) -> Erf -> Add 1, Mul(x, 0.5), and their Mul.
  void findGelu(const NodeProto& erf) {
    if (erf.inputs.size() != 1 || erf.outputs.size() != 1) return;
    const NodeProto* scale = producer(erf.inputs[0]);
    const auto scaled = withScalar(scale, "Mul", true);
    if (!scaled || std::abs(scaled->value - 1 / std::sqrt(2.0)) > 1e-6 || readers(erf.inputs[0]) != 1) return;
    const NodeProto* plusOne = soleReader(erf.outputs[0]);
    const auto one = withScalar(plusOne, "Add", true);
    if (!one || one->value != 1) return;
    const NodeProto* product = soleReader(plusOne->outputs[0]);
    if (!product || product->opType != "Mul" || product->inputs.size() != 2) return;
    const std::string& other = product->inputs[product->inputs[0] == plusOne->outputs[0] ? 1 : 0];
    const NodeProto* half = producer(other);
    const auto halved = withScalar(half, "Mul", true);
    if (!halved || halved->value != 0.5 || halved->tensor != scaled->tensor || readers(other) != 1) return;
    absorbed_.insert({scale, &erf, plusOne, half});
    fused_[product] = Fusion{"Activation", {{"activation", "gelu"}}, scaled->tensor, {}};
  }

  // ReLU's threshold t: Where(Less(x, t), Mul(Sub(x, t), slope), x), and for
  // max_value m then Where(Less(x, m), that, m).
  void findThresholdRelu(const NodeProto& where) {
    if (where.inputs.size() != 3 || where.outputs.size() != 1) return;
    const std::string& x = where.inputs[2];
    const NodeProto* below = producer(where.inputs[0]);
    const NodeProto* low = producer(where.inputs[1]);
    const auto threshold = withScalar(below, "Less", false);
    const auto slope = withScalar(low, "Mul", true);
    if (!threshold || threshold->tensor != x || !slope || readers(where.inputs[0]) != 1 ||
        readers(where.inputs[1]) != 1)
      return;
    const NodeProto* shift = producer(slope->tensor);
    const auto shifted = withScalar(shift, "Sub", false);
    if (!shifted || shifted->tensor != x || shifted->value != threshold->value || readers(slope->tensor) != 1) return;
    if (threshold->value < 0 || slope->value < 0) return;  // outside what Tanuki's ReLU takes
    Json config = {{"negative_slope", slope->value}, {"threshold", threshold->value}};
    std::set<const NodeProto*> parts = {below, low, shift};
    const NodeProto* last = &where;
    if (const NodeProto* cap = soleReader(where.outputs[0]);
        cap && cap->opType == "Where" && cap->inputs.size() == 3 && cap->inputs[1] == where.outputs[0]) {
      const auto top = withScalar(producer(cap->inputs[0]), "Less", false);
      const auto topValue = scalarInitializer(cap->inputs[2]);
      if (top && top->tensor == x && topValue && *topValue == top->value && top->value >= 0 &&
          readers(cap->inputs[0]) == 1) {
        config["max_value"] = top->value;
        parts.insert({producer(cap->inputs[0]), &where});
        last = cap;
      }
    }
    absorbed_.insert(parts.begin(), parts.end());
    fused_[last] = Fusion{"ReLU", config, x, {}};
  }

  // ReLU with negative_slope and max_value m: Min(LeakyRelu(x), m).
  void findCappedLeakyRelu(const NodeProto& min) {
    const auto top = withScalar(&min, "Min", true);
    if (!top || top->value < 0 || readers(top->tensor) != 1) return;
    const NodeProto* leaky = producer(top->tensor);
    if (!leaky || leaky->opType != "LeakyRelu" || leaky->inputs.size() != 1) return;
    const Attribute* alpha = leaky->attribute("alpha");
    const double slope = alpha ? alpha->f : 0.01;
    if (slope < 0) return;
    absorbed_.insert(leaky);
    fused_[&min] = Fusion{"ReLU", {{"negative_slope", slope}, {"max_value", top->value}}, leaky->inputs[0], {}};
  }

  // Max and Min of a tensor and a scalar, through ReLU: max(x, c) = relu(x - c) + c,
  // min(x, c) = c - relu(c - x).
  void minMax() {
    const bool max = node_->opType == "Max";
    if (node_->inputs.size() != 2) refuse("only two inputs are supported");
    const Value& a = input(0);
    const Value& b = input(1);
    if (!a.isConstant() && !b.isConstant())
      refuse("the element-wise " + std::string(max ? "maximum" : "minimum") +
             " of two tensors is not supported (Tanuki has no Maximum or Minimum layer)");
    const bool constantFirst = a.isConstant();
    const Value& x = constantFirst ? b : a;
    const Constant& c = constantFirst ? *a.constant : *b.constant;
    if (max && keepsZeroPadding(node_->inputs[constantFirst ? 1 : 0], x, c)) {
      Value out = x;
      out.dense = nullptr;
      return output(out);
    }
    if (c.size() != 1 || c.anyBatch())
      refuse(
          "only a scalar constant is supported (and, after a MaxPool of a zero Pad, the floor of 0 for the "
          "windows over the padding that Tanuki's exports write)");
    const double v = c.values[0];
    if (max && v == 0) return output(unaryLayer(x, "ReLU", Json::object()));
    const double sign = max ? 1 : -1;
    Value y = unaryLayer(x, "Rescaling", {{"scale", sign}, {"offset", -sign * v}}, "shift");
    y = unaryLayer(y, "ReLU", Json::object(), "relu");
    output(unaryLayer(y, "Rescaling", {{"scale", sign}, {"offset", v}}));
  }

  // Max(MaxPool(Pad(x)), floor) as Tanuki's exports write it after ZeroPadding2D:
  // the floor is 0 for the windows that hold padded zeros and the lowest float
  // for the others, so on Tanuki's MaxPooling2D of the zero-padded input (which
  // has those zeros) it changes nothing.
  bool keepsZeroPadding(const std::string& pooledName, const Value& pooled, const Constant& floor) const {
    const NodeProto* pool = producer(pooledName);
    if (!pool || pool->opType != "MaxPool" || pool->inputs.empty() || pooled.layout != Layout::ChannelsFirst)
      return false;
    const NodeProto* pad = producer(pool->inputs[0]);
    if (!pad || pad->opType != "Pad") return false;
    const Value& padded = value(pool->inputs[0], where());
    const int64_t oh = pooled.dims[2], ow = pooled.dims[3], h = padded.dims[2], w = padded.dims[3];
    if (floor.dims != std::vector<int64_t>{1, 1, oh, ow}) return false;
    std::vector<int64_t> zeros;  // the Pad's [0, 0, top, left, 0, 0, bottom, right]
    if (const Attribute* a = pad->attribute("pads")) {
      zeros = a->ints;
    } else if (pad->inputs.size() > 1) {
      auto it = values_.find(pad->inputs[1]);
      if (it == values_.end() || !it->second.isConstant()) return false;
      zeros = it->second.constant->ints(where() + ": the pads of the Pad before it");
    }
    const Attribute* kernel = pool->attribute("kernel_shape");
    const Attribute* strides = pool->attribute("strides");
    const Attribute* pads = pool->attribute("pads");
    const Attribute* autoPad = pool->attribute("auto_pad");
    if (zeros.size() != 8 || !kernel || kernel->ints.size() != 2 || (autoPad && autoPad->s != "NOTSET")) return false;
    const std::vector<int64_t> k = kernel->ints, s = strides ? strides->ints : std::vector<int64_t>{1, 1};
    const std::vector<int64_t> p = pads ? pads->ints : std::vector<int64_t>{0, 0, 0, 0};
    if (s.size() != 2 || p.size() != 4) return false;
    // Whether rows [first, first + count) of the padded input, clipped to it, hold a padded row.
    const auto touches = [](int64_t first, int64_t count, int64_t n, int64_t before, int64_t after) {
      const int64_t lo = std::max<int64_t>(first, 0), hi = std::min(first + count, n);
      return lo < before || hi > n - after;
    };
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        const float f = static_cast<float>(floor.values[static_cast<size_t>(i * ow + j)]);
        const bool overPadding = touches(i * s[0] - p[0], k[0], h, zeros[2], zeros[6]) ||
                                 touches(j * s[1] - p[1], k[1], w, zeros[3], zeros[7]);
        if (!(f == -std::numeric_limits<float>::max() || (f == 0 && overPadding))) return false;
      }
    return true;
  }

  // --- layer normalization -------------------------------------------------------------------
  void layerNormalization() {
    const Value& in = tensorInput(0);
    for (size_t i = 1; i < node_->outputs.size(); ++i)
      if (!node_->outputs[i].empty() && readers(node_->outputs[i]) > 0)
        refuse("the Mean and InvStdDev outputs are not supported");
    if (intAttr("stash_type", 1) != 1) refuse("only stash_type 1 (float) is supported");
    const int64_t axis = normalizeAxis(intAttr("axis", -1), in.rank(), where());
    Json axes = Json::array();
    for (int64_t a = axis; a < in.rank(); ++a) axes.push_back(a);
    const auto name = [&](size_t i) { return hasInput(i) ? node_->inputs[i] : std::string(); };
    layerNormalization(in, Fusion{"LayerNormalization",
                                  {{"axis", axes}, {"epsilon", floatAttr("epsilon", 1e-5)}},
                                  node_->inputs[0],
                                  {name(1), name(2)}});
  }

  // LayerNormalization over f's axes (trailing ones) of `in`, gamma and beta
  // from the constants f names (absent: 1 and 0).
  void layerNormalization(const Value& in, const Fusion& f) {
    if (in.layout != Layout::Plain || in.flattenedChw)
      refuse(
          "LayerNormalization of a tensor in NCHW order is not supported (only in Tanuki's order, after a "
          "Transpose to NHWC)");
    const std::vector<int64_t> axes = f.config.at("axis").get<std::vector<int64_t>>();
    if (axes.empty() || axes.front() < 1 || axes.back() != in.rank() - 1)
      refuse("LayerNormalization over axes " + dimsText(axes) + " of " + dimsText(in.dims) +
             " is not supported (the trailing axes, not the batch, are)");
    const Shape normalized(in.dims.begin() + axes.front(), in.dims.end());
    int64_t count = 1;
    for (int64_t d : normalized) count *= d;
    const auto trimmed = [](std::vector<int64_t> d) {
      while (!d.empty() && d.front() == 1) d.erase(d.begin());
      return d;
    };
    const auto param = [&](const std::string& source, const std::string& what, float absent) {
      std::vector<float> v(static_cast<size_t>(count), absent);
      if (!source.empty()) {
        const Value& cv = value(source, where());
        if (!cv.isConstant()) refuse(what + " must be a constant");
        const Constant& c = *cv.constant;
        if (c.size() == 1)
          std::fill(v.begin(), v.end(), static_cast<float>(c.values[0]));
        else if (c.size() == count && trimmed(c.dims) == trimmed(normalized))
          std::transform(c.values.begin(), c.values.end(), v.begin(), [](double d) { return static_cast<float>(d); });
        else
          refuse(what + " of shape " + dimsText(c.dims) + " does not match the normalized axes " +
                 dimsText(normalized));
      }
      return Tensor(normalized, v);
    };
    const std::vector<Tensor> weights = {param(f.weights[0], "the scale", 1), param(f.weights[1], "the bias", 0)};
    output(symbolic(apply("LayerNormalization", f.config, {in.tensor}, weights), in.dims, Layout::Plain));
  }

  const OnnxModel& model_;
  const ImportOptions& options_;
  const bool flipGuessedLayouts_;
  bool guessedLayout_ = false;
  size_t converted_ = 0;
  std::map<std::string, Value> values_;
  std::map<std::string, int> readers_;
  std::map<std::string, std::vector<const NodeProto*>> consumers_;
  std::map<std::string, const NodeProto*> producers_;
  std::map<const NodeProto*, Fusion> fused_;
  std::set<const NodeProto*> absorbed_;
  LayerNames names_;
  const NodeProto* node_ = nullptr;
  LayerPtr lastLayer_;
  int64_t declaredBatch_ = 0;  // the first input's batch dimension as declared (-1: dynamic)
};

}  // namespace

std::vector<std::string> supportedOnnxOps() { return {supportedOps().begin(), supportedOps().end()}; }

ModelPtr importOnnxModel(const OnnxModel& model, const ImportOptions& options) {
  Importer importer(model, options);
  try {
    return importer.run();
  } catch (const FormatError&) {
    if (!importer.guessedLayout() || model.producer != "tanuki") throw;
    // An image input's shape alone suggested its layout, and Tanuki's exports
    // take either (a NHWC input of 2 channels that is reshaped before any
    // transpose looks NCHW): try the other one. Other producers' graphs keep
    // the documented rule.
    // If that fails too, the error of the reading that got further is the one
    // that names what the graph needs.
    Importer flipped(model, options, true);
    try {
      return flipped.run();
    } catch (const FormatError&) {
      if (flipped.converted() > importer.converted()) throw;
    }
    throw;
  }
}

}  // namespace tanuki::io::onnx
