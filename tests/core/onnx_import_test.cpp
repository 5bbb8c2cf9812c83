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
        "regression-flatten-overflow.onnx", "regression-concat-scalars.onnx"}) {
    CAPTURE(name);
    CHECK_THROWS_AS(importFile(name), FormatError);
  }
  CHECK_THROWS_WITH_AS(importFile("unsupported_lrn.onnx"), doctest::Contains("'LRN'"), FormatError);
}
