// The ReLU layer, with Keras's max_value, negative_slope and threshold.
#include <doctest/doctest.h>

#include "gradient_check.h"
#include "layer_checks.h"
#include "test_helpers.h"
#include "util/errors.h"

using namespace tanuki;
using namespace tanuki::testing;

namespace {
// Values in [-8, 8], none within 0.01 of a kink (threshold, max_value).
Tensor awayFrom(const Shape& shape, float a, float b) {
  Tensor t = randomTensor(shape, -8.0f, 8.0f);
  for (int64_t i = 0; i < t.size(); ++i)
    for (float kink : {a, b})
      if (std::abs(t[i] - kink) < 0.01f) t[i] = kink + 0.05f;
  return t;
}
}  // namespace

TEST_CASE("ReLU follows Keras's definition") {
  SeededRandom seeded(1);
  const Tensor x({1, 6}, std::vector<float>{-2, 0, 0.5f, 1, 5, 7});
  CHECK(layer("ReLU")->apply(x).toVector() == std::vector<float>{0, 0, 0.5f, 1, 5, 7});
  CHECK(layer("ReLU", {{"max_value", 6}})->apply(x).toVector() == std::vector<float>{0, 0, 0.5f, 1, 5, 6});
  CHECK(layer("ReLU", {{"negative_slope", 0.5}})->apply(x).toVector() == std::vector<float>{-1, 0, 0.5f, 1, 5, 7});
  // threshold 1: x below it maps to negative_slope * (x - threshold), x at or above it to x.
  CHECK(layer("ReLU", {{"threshold", 1}, {"negative_slope", 0.5}, {"max_value", 5}})->apply(x).toVector() ==
        std::vector<float>{-1.5f, -0.5f, -0.25f, 1, 5, 5});
}

TEST_CASE("ReLU gradients") {
  SeededRandom seeded(2);
  checkLayerGradients(*layer("ReLU"), {awayFrom({3, 4}, 0, 0)}, false);
  checkLayerGradients(*layer("ReLU", {{"max_value", 6}}), {awayFrom({3, 4}, 0, 6)}, false);
  checkLayerGradients(*layer("ReLU", {{"max_value", 4}, {"negative_slope", 0.2}, {"threshold", 1}}),
                      {awayFrom({3, 5}, 1, 4)}, false);
}

TEST_CASE("ReLU config round trip and errors") {
  SeededRandom seeded(3);
  auto relu6 = layer("ReLU", {{"max_value", 6.0}});
  CHECK(relu6->getConfig()["max_value"] == 6.0);
  CHECK(layer("ReLU")->getConfig()["max_value"].is_null());
  checkRoundTrip(relu6, {randomTensor({2, 3}, -8, 8)});
  checkRoundTrip(layer("ReLU", {{"negative_slope", 0.1}, {"threshold", 0.5}}), {randomTensor({2, 3})});
  CHECK_THROWS_WITH_AS(layer("ReLU", {{"name", "r"}, {"max_value", -1}}), "ReLU 'r': 'max_value' must be >= 0, got -1",
                       ValueError);
  CHECK_THROWS_WITH_AS(layer("ReLU", {{"name", "r"}, {"negative_slope", -0.1}}),
                       doctest::Contains("ReLU 'r': 'negative_slope' must be >= 0"), ValueError);
  CHECK_THROWS_WITH_AS(layer("ReLU", {{"name", "r"}, {"threshold", -1}}),
                       doctest::Contains("ReLU 'r': 'threshold' must be >= 0"), ValueError);
}
