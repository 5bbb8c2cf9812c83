// ONNX export in the core: the writer's bytes read back with the reader as
// the same graph, and an exported model re-imported computes what it did.
#include "io/onnx/onnx_export.h"

#include <doctest/doctest.h>

#include "gradient_check.h"
#include "io/onnx/onnx_import.h"
#include "io/onnx/onnx_reader.h"
#include "io/onnx/onnx_writer.h"
#include "layer_checks.h"
#include "layers/registry.h"
#include "models/functional.h"
#include "test_helpers.h"
#include "util/errors.h"

using namespace tanuki;
using namespace tanuki::testing;
using namespace tanuki::io::onnx;

namespace {
OnnxModel readBack(const std::string& bytes) {
  return readOnnxModel(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

// A layer class the exporter does not know (every registered one it does).
class Doubling : public Layer {
 public:
  Doubling() : Layer(ConfigReader(Json{{"name", "twice"}}, "Doubling"), "doubling") {}
  std::string className() const override { return "Doubling"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override { return singleInput(inputShapes); }

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext&) override {
    Tensor y = inputs[0].clone();
    for (int64_t i = 0; i < y.size(); ++i) y[i] *= 2;
    return {y, {}};
  }
};
}  // namespace

TEST_CASE("the ONNX writer's bytes read back as the same graph") {
  OnnxModel m;
  m.opset = 17;
  m.producer = "tanuki";
  NodeProto n;
  n.opType = "Conv";
  n.name = "conv";
  n.inputs = {"x", "w", ""};
  n.outputs = {"y"};
  Attribute ints;
  ints.name = "strides";
  ints.type = Attribute::Type::Ints;
  ints.ints = {2, 1};
  Attribute text;
  text.name = "auto_pad";
  text.type = Attribute::Type::String;
  text.s = "SAME_UPPER";
  Attribute real;
  real.name = "alpha";
  real.type = Attribute::Type::Float;
  real.f = 0.25;
  n.attributes = {ints, text, real};
  m.nodes = {n};
  TensorData w;
  w.name = "w";
  w.dims = {2, 1, 1, 1};
  w.dataType = static_cast<int32_t>(DataType::Float);
  w.values = {1.5, -2.25};
  TensorData shape;
  shape.name = "shape";
  shape.dims = {3};
  shape.dataType = static_cast<int32_t>(DataType::Int64);
  shape.values = {0, -1, 1LL << 40};
  m.initializers = {{"w", w}, {"shape", shape}};
  m.inputs = {ValueInfo{"x", 1, std::vector<int64_t>{-1, 1, 4, -1}}};
  m.outputs = {ValueInfo{"y", 1, std::vector<int64_t>{-1, 2, 2, 3}}};

  const OnnxModel back = readBack(writeOnnxModel(m));
  CHECK(back.opset == 17);
  CHECK(back.irVersion == 8);
  CHECK(back.producer == "tanuki");
  REQUIRE(back.nodes.size() == 1);
  CHECK(back.nodes[0].opType == "Conv");
  CHECK(back.nodes[0].inputs == n.inputs);
  CHECK(back.nodes[0].outputs == n.outputs);
  CHECK(back.nodes[0].attribute("strides")->ints == std::vector<int64_t>{2, 1});
  CHECK(back.nodes[0].attribute("auto_pad")->s == "SAME_UPPER");
  CHECK(back.nodes[0].attribute("alpha")->f == doctest::Approx(0.25));
  CHECK(back.initializers.at("w").values == w.values);
  CHECK(back.initializers.at("w").dims == w.dims);
  CHECK(back.initializers.at("shape").values == shape.values);
  REQUIRE(back.inputs.size() == 1);
  CHECK(*back.inputs[0].dims == std::vector<int64_t>{-1, 1, 4, -1});
  CHECK(*back.outputs[0].dims == std::vector<int64_t>{-1, 2, 2, 3});
}

TEST_CASE("an exported model re-imported computes the same outputs, in both input layouts") {
  SeededRandom seeded(5);
  auto input = makeInput({9, 7, 3});
  auto x = applySymbolic(layer("ZeroPadding2D", {{"padding", 1}}), {input});
  x = applySymbolic(layer("Conv2D", {{"filters", 4}, {"kernel_size", 3}, {"strides", 2}, {"padding", "same"}}), {x});
  x = applySymbolic(layer("BatchNormalization"), {x});
  x = applySymbolic(layer("ReLU", {{"max_value", 6}}), {x});
  auto y = applySymbolic(layer("DepthwiseConv2D", {{"kernel_size", 3}, {"padding", "same"}}), {x});
  x = applySymbolic(layer("Add"), {x, y});
  x = applySymbolic(layer("GlobalAveragePooling2D"), {x});
  x = applySymbolic(layer("Dense", {{"units", 3}, {"activation", "softmax"}}), {x});
  Functional model({input}, {x});
  for (const auto& w : model.weights()) w->assign(randomTensor(w->shape(), 0.5f, 1.5f));

  const Tensor images = randomTensor({2, 9, 7, 3});
  const Tensor expected = model.predict(images);
  for (bool nchw : {false, true}) {
    CAPTURE(nchw);
    const ExportedOnnx exported = exportOnnxModel(model, {13, nchw});
    CHECK(exported.dropped.empty());
    const OnnxModel graph = readBack(exported.bytes);
    REQUIRE(graph.inputs.size() == 1);
    CHECK(*graph.inputs[0].dims == (nchw ? std::vector<int64_t>{-1, 3, 9, 7} : std::vector<int64_t>{-1, 9, 7, 3}));
    const ModelPtr back = importOnnxModel(graph);
    // The importer takes NCHW graphs to NHWC models: either way, NHWC in.
    const Tensor actual = back->predict(images);
    REQUIRE(actual.shape() == expected.shape());
    for (int64_t i = 0; i < expected.size(); ++i) CHECK(actual[i] == doctest::Approx(expected[i]).epsilon(1e-4));
  }
}

TEST_CASE("every registered layer class exports; opsets outside the range are refused") {
  const auto exportable = exportableLayerClasses();
  for (const auto& c : supportedLayerClasses()) {
    CAPTURE(c);
    CHECK(std::find(exportable.begin(), exportable.end(), c) != exportable.end());
  }
  auto input = makeInput({4});
  Functional model({input}, {applySymbolic(layer("Dense", {{"units", 2}}), {input})});
  CHECK_THROWS_AS(exportOnnxModel(model, {10, false}), ValueError);
  CHECK_THROWS_AS(exportOnnxModel(model, {22, false}), ValueError);
  CHECK(!exportOnnxModel(model, {21, false}).bytes.empty());

  Functional custom({input}, {applySymbolic(std::make_shared<Doubling>(), {input})});
  CHECK_THROWS_WITH_AS(exportOnnxModel(custom), doctest::Contains("layer 'twice' (class Doubling)"), FormatError);
}
