// ONNX import in the core: hostile files (kept in the fuzz corpus) end in
// FormatErrors, as do fuzzer findings once fixed.
#include "io/onnx/onnx_import.h"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "io/onnx/onnx_reader.h"
#include "models/functional.h"
#include "util/errors.h"

using namespace tanuki;

namespace {
std::string corpusFile(const std::string& name) {
  std::ifstream file("tests/fuzz/corpus/onnx/" + name, std::ios::binary);
  REQUIRE(file.good());
  return {std::istreambuf_iterator<char>(file), {}};
}

ModelPtr importFile(const std::string& name) {
  const std::string bytes = corpusFile(name);
  return io::onnx::importOnnxModel(
      io::onnx::readOnnxModel(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}
}  // namespace

TEST_CASE("hostile ONNX files end in FormatErrors") {
  for (const char* name :
       {"hostile-truncated.onnx", "hostile-wrong-wire-type.onnx", "hostile-long-varint.onnx", "hostile-huge-dims.onnx",
        "hostile-negative-dims.onnx", "hostile-size-mismatch.onnx", "hostile-opset-99.onnx", "hostile-cycle.onnx",
        "hostile-external-path.onnx", "hostile-string-tensor.onnx", "hostile-slice-extremes.onnx",
        "regression-flatten-overflow.onnx", "regression-concat-scalars.onnx",
        "regression-pattern-node-without-output.onnx", "regression-reshape-huge-entry.onnx",
        "regression-conv-huge-pads.onnx"}) {
    CAPTURE(name);
    CHECK_THROWS_AS(importFile(name), FormatError);
  }
  CHECK_THROWS_WITH_AS(importFile("unsupported_lrn.onnx"), doctest::Contains("'LRN'"), FormatError);
}

TEST_CASE("Tanuki's ONNX exports read back; ops outside the patterns they import in are refused by name") {
  // Written by model.toOnnx: gelu, ReLU's threshold and maxValue, LayerNormalization
  // (the op and its ReduceMean form), NHWC reshapes, the Max after a padded MaxPool.
  for (const char* name : {"tanuki_export_activations_opset11.onnx", "tanuki_export_reshaping_opset13.onnx",
                           "tanuki_export_reshaping_opset17_nchw.onnx", "tanuki_export_pad_maxpool.onnx"}) {
    CAPTURE(name);
    CHECK_NOTHROW(importFile(name));
  }
  io::onnx::OnnxModel graph;
  graph.opset = 13;
  graph.inputs = {{"x", 1, std::vector<int64_t>{-1, 4}}};
  graph.outputs = {{"y", 1, std::vector<int64_t>{-1, 4}}};
  io::onnx::NodeProto relu, max;
  relu.opType = "Relu";
  relu.name = "relu";
  relu.inputs = {"x"};
  relu.outputs = {"a"};
  max.opType = "Max";
  max.name = "max";
  max.inputs = {"x", "a"};
  max.outputs = {"y"};
  graph.nodes = {relu, max};
  CHECK_THROWS_WITH_AS(io::onnx::importOnnxModel(graph), doctest::Contains("no Maximum or Minimum layer"), FormatError);
  graph.nodes[1].opType = "Erf";
  graph.nodes[1].inputs = {"a"};
  CHECK_THROWS_WITH_AS(io::onnx::importOnnxModel(graph), doctest::Contains("only as part of gelu"), FormatError);
  graph.nodes[1].opType = "Where";
  graph.nodes[1].inputs = {"a", "a", "x"};
  CHECK_THROWS_WITH_AS(io::onnx::importOnnxModel(graph), doctest::Contains("ReLU's threshold"), FormatError);
}
