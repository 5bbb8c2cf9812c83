// TF.js graph-model import in the core: the fuzz corpus's graphs, valid and
// hostile, and the AttrValue decoding the importer relies on.
#include "io/graph_model/graph_model_import.h"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "io/layers_model_format.h"
#include "io/weights_manifest.h"
#include "models/functional.h"
#include "util/errors.h"

using namespace tanuki;

namespace {
ModelPtr importCorpusFile(const std::string& name) {
  std::ifstream file("tests/fuzz/corpus/graph_model/" + name, std::ios::binary);
  REQUIRE(file.good());
  const Json modelJson = io::parseModelJson({std::istreambuf_iterator<char>(file), {}});
  const std::vector<uint8_t> weights(
      static_cast<size_t>(io::manifestByteLength(io::parseWeightsManifest(modelJson["weightsManifest"]))), 0);
  return io::graph_model::loadGraphModel(modelJson, weights.data(), weights.size());
}
}  // namespace

TEST_CASE("base64 decoding of graph-model attributes") {
  using io::graph_model::decodeBase64;
  CHECK(decodeBase64("U0FNRQ==", "s") == "SAME");
  CHECK(decodeBase64("TkhXQw", "s") == "NHWC");  // padding optional
  CHECK(decodeBase64("", "s").empty());
  CHECK_THROWS_AS(decodeBase64("!!", "s"), FormatError);
  CHECK_THROWS_AS(decodeBase64("A", "s"), FormatError);
  CHECK_THROWS_AS(decodeBase64("QQ===", "s"), FormatError);
}

TEST_CASE("graph models of the fuzz corpus import, or end in FormatErrors naming the culprit") {
  for (const char* name : {"fused_conv.json", "signature.json"}) {
    CAPTURE(name);
    const auto model = std::dynamic_pointer_cast<Functional>(importCorpusFile(name));
    REQUIRE(model);
    CHECK(model->outputs().at(0).shape() == Shape{-1, 4});
  }
  CHECK_THROWS_WITH_AS(importCorpusFile("cycle.json"), doctest::Contains("cycle"), FormatError);
  CHECK_THROWS_AS(importCorpusFile("bad_attrs.json"), FormatError);
  CHECK_THROWS_WITH_AS(importCorpusFile("reshape.json"), doctest::Contains("MatMul node 'm'"), FormatError);
  CHECK_THROWS_WITH_AS(importCorpusFile("unsupported.json"), doctest::Contains("'Transpose' (node 't')"), FormatError);
}
