#include "io/onnx/onnx_import.h"

#include <array>
#include <cmath>
#include <functional>
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
                                            "Flatten",
                                            "Gather",
                                            "Gemm",
                                            "GlobalAveragePool",
                                            "GlobalMaxPool",
                                            "HardSigmoid",
                                            "HardSwish",
                                            "Identity",
                                            "LeakyRelu",
                                            "MatMul",
                                            "MaxPool",
                                            "Mul",
                                            "Pad",
                                            "ReduceMean",
                                            "Relu",
                                            "Reshape",
                                            "Shape",
                                            "Sigmoid",
                                            "Slice",
                                            "Softmax",
                                            "Softplus",
                                            "Softsign",
                                            "Squeeze",
                                            "Sub",
                                            "Tanh",
                                            "Transpose",
                                            "Unsqueeze"};
  return ops;
}

std::string dimsText(const std::vector<int64_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? ", " : "") + (dims[i] < 0 ? std::string("N") : std::to_string(dims[i]));
  return s + "]";
}

Json pairJson(int64_t a, int64_t b) { return Json::array({a, b}); }

class Importer {
 public:
  Importer(const OnnxModel& model, const ImportOptions& options) : model_(model), options_(options) {}

  ModelPtr run() {
    if (model_.opset < kMinOpset || model_.opset > kMaxOpset)
      fail<FormatError>("ONNX opset ", model_.opset, " is not supported (Tanuki imports opsets ", kMinOpset, " to ",
                        kMaxOpset, ")");
    for (const auto& [name, t] : model_.initializers) values_[name] = constantValue(Constant::of(t));
    for (const NodeProto& node : model_.nodes)
      for (const std::string& in : node.inputs) ++readers_[in];
    for (const ValueInfo& out : model_.outputs) ++readers_[out.name];
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
    const bool channelsLast = dims.size() == 4 && (dims[3] == 1 || dims[3] == 3 || dims[3] == 4) &&
                              !(dims[1] == 1 || dims[1] == 3 || dims[1] == 4);
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

  // --- layers -------------------------------------------------------------------
  std::string uniqueName(const std::string& wanted, const std::string& fallback) {
    return names_.unique(wanted, fallback);
  }

  SymbolicTensor apply(const std::string& className, Json config, const std::vector<SymbolicTensor>& inputs,
                       const std::vector<Tensor>& weights = {}, const std::string& role = "") {
    const std::string wanted = node_->name.empty() ? node_->opType : node_->name;
    config["name"] = uniqueName(role.empty() ? wanted : wanted + "_" + role, "layer");
    LayerPtr layer = createLayer(className, config);
    SymbolicTensor out = applySymbolic(layer, inputs);
    if (!weights.empty()) layer->setWeights(weights);
    lastLayer_ = layer;
    return out;
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
    out.layout = toImage ? Layout::ChannelsFirst : Layout::Plain;
    if (toImage && !out.sameElementOrder())
      refuse("it reshapes to the feature map " + dimsText(dims) +
             ", which in NHWC needs a transpose Tanuki has no layer for");
    Shape target(dims.begin() + 1, dims.end());
    if (toImage) target = {dims[2], dims[3], dims[1]};
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
    if (in.layout == Layout::ChannelsFirst && perm == std::vector<int64_t>{0, 2, 3, 1}) {
      out.layout = Layout::Plain;
      out.dims = {-1, in.dims[2], in.dims[3], in.dims[1]};
    } else if (in.layout == Layout::Plain && perm == std::vector<int64_t>{0, 3, 1, 2}) {
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
    if (a.rank() != 2) refuse("its input must be 2-D [N, K], got " + dimsText(a.dims));
    const Constant& b = constantInput(1, "the weights (B)");
    if (b.dims.size() != 2) refuse("the weights (B) must be 2-D");
    if (gemm && intAttr("transA", 0) != 0) refuse("transA 1 is not supported (the batch would move)");
    const bool transB = gemm && intAttr("transB", 0) != 0;
    const double alpha = gemm ? floatAttr("alpha", 1.0) : 1.0, beta = gemm ? floatAttr("beta", 1.0) : 1.0;
    const int64_t k = transB ? b.dims[1] : b.dims[0], units = transB ? b.dims[0] : b.dims[1];
    if (k != a.dims[1])
      refuse("the weights hold " + std::to_string(k) + " inputs, the input has " + std::to_string(a.dims[1]));
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
    Value out = symbolic(apply("Dense", {{"units", units}}, {a.tensor}, {kernel, bias}), {-1, units}, Layout::Plain);
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
    if (x.dense && x.rank() == 2 && c.size() == x.dims[1] && c.dims.back() == x.dims[1] &&
        (op == "Add" || (op == "Sub" && !constantFirst)) && readers_[nodeInputName(constantFirst ? 1 : 0)] == 1) {
      std::vector<Tensor> weights = x.dense->getWeights();
      for (int64_t u = 0; u < x.dims[1]; ++u)
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

  const OnnxModel& model_;
  const ImportOptions& options_;
  std::map<std::string, Value> values_;
  std::map<std::string, int> readers_;
  LayerNames names_;
  const NodeProto* node_ = nullptr;
  LayerPtr lastLayer_;
  int64_t declaredBatch_ = 0;  // the first input's batch dimension as declared (-1: dynamic)
};

}  // namespace

std::vector<std::string> supportedOnnxOps() { return {supportedOps().begin(), supportedOps().end()}; }

ModelPtr importOnnxModel(const OnnxModel& model, const ImportOptions& options) {
  return Importer(model, options).run();
}

}  // namespace tanuki::io::onnx
