// MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D.
#include <doctest/doctest.h>

#include "gradient_check.h"
#include "layer_checks.h"
#include "test_helpers.h"
#include "util/errors.h"

using namespace tanuki;
using namespace tanuki::testing;

namespace {
Tensor iota(const Shape& shape) {
  Tensor t(shape);
  for (int64_t i = 0; i < t.size(); ++i) t[i] = static_cast<float>(i + 1);
  return t;
}

struct PoolCase {
  Json poolSize, strides;
  const char* padding;
  Shape input;
};
const std::vector<PoolCase> kPoolCases = {
    {2, nullptr, "valid", {2, 4, 4, 2}}, {2, nullptr, "same", {1, 5, 5, 2}}, {3, 2, "same", {2, 6, 6, 1}},
    {3, 2, "valid", {1, 7, 5, 2}},       {3, 1, "same", {1, 4, 4, 2}},       {{2, 3}, {1, 2}, "same", {1, 5, 6, 2}},
};
}  // namespace

TEST_CASE("MaxPooling2D: values and gradients") {
  SeededRandom seeded(1);
  auto pool = layer("MaxPooling2D");  // pool_size 2, strides = pool_size
  CHECK(pool->apply(iota({1, 4, 4, 1})).toVector() == std::vector<float>{6, 8, 14, 16});
  for (const auto& c : kPoolCases) {
    CAPTURE(c.poolSize.dump());
    CAPTURE(c.strides.dump());
    CAPTURE(c.padding);
    auto p = layer("MaxPooling2D", {{"pool_size", c.poolSize}, {"strides", c.strides}, {"padding", c.padding}});
    checkLayerGradients(*p, {distinctValues(c.input)}, false);
  }
}

TEST_CASE("MaxPooling2D 'same' never picks the padding") {
  SeededRandom seeded(2);
  Tensor x({1, 3, 3, 1}, -5.0f);  // all negative: a zero pad would win
  auto pool = layer("MaxPooling2D", {{"pool_size", 2}, {"padding", "same"}});
  CHECK(pool->apply(x).toVector() == std::vector<float>(4, -5.0f));
}

TEST_CASE("AveragePooling2D 'same' divides by the count of pixels inside the image") {
  SeededRandom seeded(3);
  // 3x3, pool 2, stride 2, 'same': pad_total 1, all of it after.
  auto pool = layer("AveragePooling2D", {{"pool_size", 2}, {"padding", "same"}});
  const Tensor x = iota({1, 3, 3, 1});  // 1 2 3 / 4 5 6 / 7 8 9
  CHECK(pool->apply(x).toVector() == std::vector<float>{3.0f, 4.5f, 7.5f, 9.0f});
  // pool 3, stride 1 on 4x4: pad_total 2, 1 before: the corner window holds 4 pixels.
  auto wide = layer("AveragePooling2D", {{"pool_size", 3}, {"strides", 1}, {"padding", "same"}});
  const Tensor y = wide->apply(iota({1, 4, 4, 1}));
  CHECK(y.shape() == Shape{1, 4, 4, 1});
  CHECK(y[0] == doctest::Approx((1 + 2 + 5 + 6) / 4.0));
  CHECK(y[5] == doctest::Approx((1 + 2 + 3 + 5 + 6 + 7 + 9 + 10 + 11) / 9.0));
  CHECK(layer("AveragePooling2D")->apply(iota({1, 2, 2, 1})).toVector() == std::vector<float>{2.5f});
}

TEST_CASE("AveragePooling2D gradients") {
  SeededRandom seeded(4);
  for (const auto& c : kPoolCases) {
    CAPTURE(c.poolSize.dump());
    CAPTURE(c.strides.dump());
    CAPTURE(c.padding);
    auto p = layer("AveragePooling2D", {{"pool_size", c.poolSize}, {"strides", c.strides}, {"padding", c.padding}});
    checkLayerGradients(*p, {randomTensor(c.input)}, false);
  }
}

TEST_CASE("global pooling: values, keepdims, gradients") {
  SeededRandom seeded(5);
  const Tensor x = iota({2, 2, 2, 3});
  auto avg = layer("GlobalAveragePooling2D");
  const Tensor a = avg->apply(x);
  CHECK(a.shape() == Shape{2, 3});
  CHECK(a.toVector() == std::vector<float>{5.5f, 6.5f, 7.5f, 17.5f, 18.5f, 19.5f});
  auto mx = layer("GlobalMaxPooling2D", {{"keepdims", true}});
  const Tensor m = mx->apply(x);
  CHECK(m.shape() == Shape{2, 1, 1, 3});
  CHECK(m.toVector() == std::vector<float>{10, 11, 12, 22, 23, 24});
  CHECK(mx->computeOutputShape({{-1, -1, -1, 8}}) == Shape{-1, 1, 1, 8});
  CHECK(avg->computeOutputShape({{-1, 7, 7, 8}}) == Shape{-1, 8});

  checkLayerGradients(*avg, {randomTensor({2, 3, 4, 2})}, false);
  checkLayerGradients(*layer("GlobalAveragePooling2D", {{"keepdims", true}}), {randomTensor({2, 3, 3, 2})}, false);
  checkLayerGradients(*layer("GlobalMaxPooling2D"), {distinctValues({2, 3, 4, 2})}, false);
  checkLayerGradients(*mx, {distinctValues({2, 3, 3, 2})}, false);
}

TEST_CASE("pooling output shapes") {
  SeededRandom seeded(6);
  CHECK(layer("MaxPooling2D", {{"pool_size", 3}, {"strides", 2}})->computeOutputShape({{-1, 7, 8, 4}}) ==
        Shape{-1, 3, 3, 4});
  CHECK(layer("MaxPooling2D", {{"pool_size", 3}, {"strides", 2}, {"padding", "same"}})
            ->computeOutputShape({{-1, 7, 8, 4}}) == Shape{-1, 4, 4, 4});
  CHECK(layer("AveragePooling2D")->computeOutputShape({{-1, -1, 5, -1}}) == Shape{-1, -1, 2, -1});
}

TEST_CASE("pooling configs round-trip") {
  SeededRandom seeded(7);
  checkRoundTrip(
      layer("MaxPooling2D",
            {{"pool_size", {3, 3}}, {"strides", {2, 2}}, {"padding", "same"}, {"data_format", "channels_last"}}),
      {randomTensor({1, 5, 5, 2})});
  checkRoundTrip(layer("AveragePooling2D", {{"pool_size", 2}, {"strides", 1}}), {randomTensor({1, 3, 3, 2})});
  checkRoundTrip(layer("GlobalAveragePooling2D", {{"keepdims", true}}), {randomTensor({1, 3, 3, 2})});
  checkRoundTrip(layer("GlobalMaxPooling2D"), {randomTensor({1, 3, 3, 2})});
  CHECK(layer("MaxPooling2D", {{"pool_size", 3}})->getConfig()["strides"] == Json{3, 3});
}

TEST_CASE("bad pooling configs and inputs") {
  SeededRandom seeded(8);
  CHECK_THROWS_WITH_AS(layer("MaxPooling2D", {{"name", "p"}, {"data_format", "channels_first"}}),
                       doctest::Contains("MaxPooling2D 'p': unsupported data_format 'channels_first'"), ValueError);
  CHECK_THROWS_WITH_AS(layer("GlobalAveragePooling2D", {{"name", "p"}, {"data_format", "channels_first"}}),
                       doctest::Contains("GlobalAveragePooling2D 'p': unsupported data_format"), ValueError);
  CHECK_THROWS_WITH_AS(layer("AveragePooling2D", {{"name", "p"}, {"pool_size", -2}}),
                       doctest::Contains("AveragePooling2D 'p': option 'pool_size' must be positive"), ValueError);
  CHECK_THROWS_WITH_AS(layer("MaxPooling2D", {{"name", "p"}})->computeOutputShape({{-1, 4, 4}}),
                       "MaxPooling2D 'p': expects a 4D input [batch, height, width, channels], got shape [None, 4, 4]",
                       ValueError);
  CHECK_THROWS_WITH_AS(layer("GlobalMaxPooling2D", {{"name", "p"}})->computeOutputShape({{-1, 4}}),
                       doctest::Contains("GlobalMaxPooling2D 'p': expects a 4D input"), ValueError);
  CHECK_THROWS_WITH_AS(layer("MaxPooling2D", {{"name", "p"}, {"pool_size", 3}})->computeOutputShape({{-1, 2, 4, 1}}),
                       doctest::Contains("MaxPooling2D 'p': input [None, 2, 4, 1] is smaller than its 3x3 window"),
                       ValueError);
}
