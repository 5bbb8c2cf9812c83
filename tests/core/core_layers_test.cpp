// Flatten, Reshape, Dropout, Rescaling, Softmax.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "gradient_check.h"
#include "layer_checks.h"
#include "test_helpers.h"
#include "util/errors.h"
#include "util/random.h"

using namespace tanuki;
using namespace tanuki::testing;

TEST_CASE("Flatten: shapes, order, gradients") {
  SeededRandom seeded(1);
  auto flatten = layer("Flatten");
  const Tensor x = randomTensor({2, 3, 2, 2});
  const Tensor y = flatten->apply(x);
  CHECK(y.shape() == Shape{2, 12});
  CHECK(y.toVector() == x.toVector());
  CHECK(flatten->computeOutputShape({{-1, 7, 7, 4}}) == Shape{-1, 196});
  CHECK(flatten->computeOutputShape({{-1, -1, 7, 4}}) == Shape{-1, -1});
  CHECK(flatten->computeOutputShape({{-1}}) == Shape{-1, 1});
  checkLayerGradients(*flatten, {randomTensor({2, 3, 2})}, false);
  checkRoundTrip(flatten, {x});
  CHECK_THROWS_WITH_AS(layer("Flatten", {{"name", "f"}, {"data_format", "channels_first"}}),
                       doctest::Contains("Flatten 'f': unsupported data_format 'channels_first'"), ValueError);
}

TEST_CASE("Reshape: target_shape with one inferred entry") {
  SeededRandom seeded(2);
  auto reshape = layer("Reshape", {{"target_shape", {-1, 4}}});
  const Tensor x = randomTensor({2, 2, 2, 3});
  const Tensor y = reshape->apply(x);
  CHECK(y.shape() == Shape{2, 3, 4});
  CHECK(y.toVector() == x.toVector());
  CHECK(reshape->computeOutputShape({{-1, -1, 4}}) == Shape{-1, -1, 4});
  CHECK(layer("Reshape", {{"target_shape", {3, 4}}})->computeOutputShape({{-1, 12}}) == Shape{-1, 3, 4});
  checkLayerGradients(*reshape, {randomTensor({2, 8})}, false);
  checkRoundTrip(reshape, {x});

  CHECK_THROWS_WITH_AS(layer("Reshape", {{"name", "r"}, {"target_shape", {-1, -1}}}),
                       "Reshape 'r': 'target_shape' may hold at most one -1, got [-1,-1]", ValueError);
  CHECK_THROWS_WITH_AS(layer("Reshape", {{"name", "r"}, {"target_shape", {0, 2}}}),
                       doctest::Contains("Reshape 'r': 'target_shape' must be a list of positive integers or -1"),
                       ValueError);
  CHECK_THROWS_WITH_AS(layer("Reshape", {{"name", "r"}}), "Reshape 'r': 'target_shape' is required", ValueError);
  CHECK_THROWS_WITH_AS(layer("Reshape", {{"name", "r"}, {"target_shape", {5}}})->computeOutputShape({{-1, 2, 3}}),
                       "Reshape 'r': cannot reshape input [None, 2, 3] (6 values per example) into target_shape [5]",
                       ValueError);
  CHECK_THROWS_WITH_AS(layer("Reshape", {{"name", "r"}, {"target_shape", {-1, 4}}})->computeOutputShape({{-1, 6}}),
                       doctest::Contains("Reshape 'r': cannot reshape input [None, 6]"), ValueError);
}

TEST_CASE("Dropout: identity in inference, inverted dropout in training, seedable") {
  SeededRandom seeded(3);
  auto dropout = layer("Dropout", {{"rate", 0.25}});
  const Tensor x = randomTensor({40, 50}, 1.0f, 2.0f);
  CHECK(dropout->apply(x, false).toVector() == x.toVector());
  checkLayerGradients(*dropout, {randomTensor({2, 3})}, false);

  Random::global().seed(42);
  const Tensor y = dropout->apply(x, true);
  Random::global().seed(42);
  CHECK(dropout->apply(x, true).toVector() == y.toVector());  // same seed, same mask

  int64_t dropped = 0;
  for (int64_t i = 0; i < x.size(); ++i) {
    if (y[i] == 0.0f) {
      ++dropped;
    } else {
      CHECK(y[i] == doctest::Approx(x[i] / 0.75f));
    }
  }
  CHECK(std::abs(static_cast<double>(dropped) / static_cast<double>(x.size()) - 0.25) < 0.03);

  // The backward pass uses the forward pass's mask.
  CallContext ctx;
  ctx.training = true;
  ctx.record = true;
  ctx.inputsNeedGrad = {true};
  LayerCall out = dropout->apply({x}, ctx);
  // It redraws that mask from the call's own seed: other draws in between do not change it.
  dropout->apply(x, true);
  Gradients grads;
  const Tensor dx = out.backward(Tensor(x.shape(), 1.0f), grads)[0];
  for (int64_t i = 0; i < x.size(); ++i) CHECK(dx[i] == doctest::Approx(out.output[i] / x[i]));

  // x * mask, as in Keras: a NaN stays a NaN where its value is dropped too.
  const Tensor nans(Shape{64}, std::numeric_limits<float>::quiet_NaN());
  const Tensor droppedNans = dropout->apply(nans, true);
  for (int64_t i = 0; i < nans.size(); ++i) CHECK(std::isnan(droppedNans[i]));

  checkRoundTrip(dropout, {x});
  CHECK(dropout->getConfig()["rate"] == 0.25);
  CHECK_THROWS_WITH_AS(layer("Dropout", {{"name", "d"}, {"rate", 1.0}}), "Dropout 'd': 'rate' must be in [0, 1), got 1",
                       ValueError);
  CHECK_THROWS_WITH_AS(layer("Dropout", {{"name", "d"}}), "Dropout 'd': 'rate' is required", ValueError);
  CHECK_THROWS_WITH_AS(layer("Dropout", {{"name", "d"}, {"rate", 0.5}, {"noise_shape", {1, 3}}}),
                       doctest::Contains("Dropout 'd': 'noise_shape' is not supported"), ValueError);
}

TEST_CASE("Rescaling: y = x * scale + offset") {
  SeededRandom seeded(4);
  auto rescale = layer("Rescaling", {{"scale", 1.0 / 127.5}, {"offset", -1}});
  CHECK(rescale->apply(Tensor({1, 3}, std::vector<float>{0, 127.5f, 255})).toVector() == std::vector<float>{-1, 0, 1});
  checkLayerGradients(*layer("Rescaling", {{"scale", 2.5}, {"offset", 0.5}}), {randomTensor({2, 3, 2})}, false);
  checkRoundTrip(rescale, {randomTensor({2, 3})});
  CHECK_THROWS_WITH_AS(layer("Rescaling", {{"name", "s"}}), "Rescaling 's': 'scale' is required", ValueError);
}

TEST_CASE("Softmax layer over the last axis") {
  SeededRandom seeded(5);
  auto softmax = layer("Softmax");
  const Tensor y = softmax->apply(Tensor({1, 2}, std::vector<float>{0, std::log(3.0f)}));
  CHECK(y[0] == doctest::Approx(0.25));
  CHECK(y[1] == doctest::Approx(0.75));
  checkLayerGradients(*softmax, {randomTensor({2, 3, 4})}, false);
  CHECK(layer("Softmax", {{"axis", 2}})->computeOutputShape({{-1, 3, 4}}) == Shape{-1, 3, 4});
  checkRoundTrip(softmax, {randomTensor({2, 3})});
  CHECK_THROWS_WITH_AS(layer("Softmax", {{"name", "s"}, {"axis", 1}})->computeOutputShape({{-1, 3, 4}}),
                       "Softmax 's': only the last axis (-1) is supported, got axis 1 for shape [None, 3, 4]",
                       ValueError);
}
