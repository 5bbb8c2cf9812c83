// Add, Multiply, Concatenate, alone and inside a functional model.
#include <doctest/doctest.h>

#include "gradient_check.h"
#include "layer_checks.h"
#include "models/functional.h"
#include "test_helpers.h"
#include "util/errors.h"

using namespace tanuki;
using namespace tanuki::testing;

TEST_CASE("Add and Multiply: values and gradients for 2 and 3 inputs") {
  SeededRandom seeded(1);
  const Tensor a({1, 3}, std::vector<float>{1, 2, 3}), b({1, 3}, std::vector<float>{4, 5, 6});
  CHECK(layer("Add")->inputCount() == -1);
  CHECK(layer("Add")->apply({a, b}, CallContext{}).output.toVector() == std::vector<float>{5, 7, 9});
  CHECK(layer("Multiply")->apply({a, b, a}, CallContext{}).output.toVector() == std::vector<float>{4, 20, 54});
  for (const char* cls : {"Add", "Multiply"}) {
    CAPTURE(cls);
    checkLayerGradients(*layer(cls), {randomTensor({2, 3}), randomTensor({2, 3})}, false);
    checkLayerGradients(*layer(cls),
                        {randomTensor({2, 2, 2, 3}), randomTensor({2, 2, 2, 3}), randomTensor({2, 2, 2, 3})}, false);
  }
}

TEST_CASE("Add and Multiply broadcast as Keras does: sizes equal or 1 along each axis") {
  SeededRandom seeded(7);
  // A squeeze-excite gate [N, 1, 1, C] over its feature map [N, H, W, C].
  CHECK(layer("Multiply")->computeOutputShape({{-1, 4, 4, 8}, {-1, 1, 1, 8}}) == Shape{-1, 4, 4, 8});
  CHECK(layer("Add")->computeOutputShape({{-1, 1, 3}, {-1, 2, 1}}) == Shape{-1, 2, 3});
  CHECK(layer("Add")->computeOutputShape({{-1, 1, 3}, {-1, -1, 3}}) == Shape{-1, -1, 3});
  CHECK(layer("Add")->computeOutputShape({{-1, -1, 3}, {-1, 5, 3}}) == Shape{-1, 5, 3});
  const Tensor row({1, 1, 3}, std::vector<float>{1, 2, 3}), column({1, 2, 1}, std::vector<float>{10, 20});
  CHECK(layer("Add")->apply({row, column}, CallContext{}).output.toVector() ==
        std::vector<float>{11, 12, 13, 21, 22, 23});
  CHECK(layer("Multiply")->apply({column, row}, CallContext{}).output.toVector() ==
        std::vector<float>{10, 20, 30, 20, 40, 60});
  // The gradient of a broadcast input sums over the axes it was repeated along.
  CallContext ctx;
  ctx.record = true;
  ctx.inputsNeedGrad = {true, true};
  LayerCall out = layer("Multiply")->apply({row, column}, ctx);
  Gradients grads;
  const auto dx = out.backward(Tensor({1, 2, 3}, 1.0f), grads);
  CHECK(dx[0].shape() == Shape{1, 1, 3});
  CHECK(dx[0].toVector() == std::vector<float>{30, 30, 30});
  CHECK(dx[1].toVector() == std::vector<float>{6, 6});
  for (const char* cls : {"Add", "Multiply"}) {
    CAPTURE(cls);
    checkLayerGradients(*layer(cls), {randomTensor({2, 3, 3, 4}), randomTensor({2, 1, 1, 4})}, false);
    checkLayerGradients(*layer(cls), {randomTensor({2, 1, 4}), randomTensor({2, 3, 1}), randomTensor({2, 3, 4})},
                        false);
  }
}

TEST_CASE("Multiply's gradient is right where an input is zero") {
  SeededRandom seeded(2);
  auto mul = layer("Multiply");
  CallContext ctx;
  ctx.record = true;
  ctx.inputsNeedGrad = {true, false};
  const Tensor a({1, 2}, std::vector<float>{0, 2}), b({1, 2}, std::vector<float>{3, 0});
  LayerCall out = mul->apply({a, b}, ctx);
  Gradients grads;
  const auto dx = out.backward(Tensor({1, 2}, 1.0f), grads);
  CHECK(dx[0].toVector() == std::vector<float>{3, 0});
  CHECK_FALSE(dx[1].defined());  // not asked for
}

TEST_CASE("Concatenate along channels and along another axis") {
  SeededRandom seeded(3);
  const Tensor a({1, 2, 1}, std::vector<float>{1, 2}), b({1, 2, 2}, std::vector<float>{3, 4, 5, 6});
  auto cat = layer("Concatenate");
  CHECK(cat->apply({a, b}, CallContext{}).output.toVector() == std::vector<float>{1, 3, 4, 2, 5, 6});
  CHECK(cat->computeOutputShape({{-1, 4, 4, 3}, {-1, 4, 4, 5}, {-1, 4, 4, 1}}) == Shape{-1, 4, 4, 9});
  checkLayerGradients(*cat, {randomTensor({2, 2, 2, 3}), randomTensor({2, 2, 2, 1}), randomTensor({2, 2, 2, 2})},
                      false);
  auto rows = layer("Concatenate", {{"axis", 1}});
  CHECK(rows->computeOutputShape({{-1, 2, 3}, {-1, -1, 3}}) == Shape{-1, -1, 3});
  checkLayerGradients(*rows, {randomTensor({2, 2, 3}), randomTensor({2, 1, 3})}, false);
}

TEST_CASE("merging configs round-trip") {
  SeededRandom seeded(4);
  checkRoundTrip(layer("Add"), {randomTensor({2, 3}), randomTensor({2, 3})});
  checkRoundTrip(layer("Multiply"), {randomTensor({2, 3}), randomTensor({2, 3})});
  checkRoundTrip(layer("Concatenate", {{"axis", -2}}), {randomTensor({2, 3, 2}), randomTensor({2, 1, 2})});
}

TEST_CASE("merging shape errors") {
  SeededRandom seeded(5);
  CHECK_THROWS_WITH_AS(layer("Add", {{"name", "a"}})->computeOutputShape({{-1, 3}, {-1, 4}}),
                       "Add 'a': expects inputs of one rank whose sizes are equal or 1 along each axis, got "
                       "[None, 3] and [None, 4] (input 1)",
                       ValueError);
  CHECK_THROWS_WITH_AS(layer("Multiply", {{"name", "m"}})->computeOutputShape({{-1, 1, 1, 3}, {-1, 3}}),
                       doctest::Contains("Multiply 'm': expects inputs of one rank whose sizes are equal or 1 along "
                                         "each axis, got [None, 1, 1, 3] and [None, 3]"),
                       ValueError);
  CHECK_THROWS_WITH_AS(layer("Add", {{"name", "a"}})->computeOutputShape({{2, 3}, {1, 3}}),
                       "Add 'a': expects inputs of one batch size, got [2, 3] and [1, 3] (input 1)", ValueError);
  CHECK_THROWS_WITH_AS(layer("Multiply", {{"name", "m"}})->computeOutputShape({{-1, 3}}),
                       "Multiply 'm': expects at least 2 inputs, got 1", ValueError);
  CHECK_THROWS_WITH_AS(layer("Concatenate", {{"name", "c"}})->computeOutputShape({{-1, 3, 2}, {-1, 4, 2}}),
                       doctest::Contains("Concatenate 'c': inputs must match except along axis -1"), ValueError);
  CHECK_THROWS_WITH_AS(layer("Concatenate", {{"name", "c"}, {"axis", 0}})->computeOutputShape({{-1, 3}, {-1, 3}}),
                       doctest::Contains("Concatenate 'c': axis 0 is out of range"), ValueError);
  CHECK_THROWS_WITH_AS(layer("Concatenate", {{"name", "c"}, {"axis", 3}})->computeOutputShape({{-1, 3}, {-1, 3}}),
                       doctest::Contains("Concatenate 'c': axis 3 is out of range for inputs of rank 2"), ValueError);
}

TEST_CASE("a residual CNN block trains end to end: gradients through a functional model") {
  SeededRandom seeded(6);
  auto input = makeInput({4, 3, 2});
  auto conv = applySymbolic(layer("Conv2D", {{"filters", 2}, {"kernel_size", 3}, {"padding", "same"}}), {input});
  auto bn = applySymbolic(layer("BatchNormalization"), {conv});
  auto act = applySymbolic(layer("ReLU", {{"max_value", 6}, {"negative_slope", 0.1}}), {bn});
  auto dw = applySymbolic(layer("DepthwiseConv2D", {{"kernel_size", 3}, {"padding", "same"}}), {act});
  auto sum = applySymbolic(layer("Add"), {act, dw});
  auto pooled = applySymbolic(layer("GlobalAveragePooling2D"), {sum});
  auto out = applySymbolic(layer("Dense", {{"units", 3}}), {pooled});
  Functional model({input}, {out});
  CHECK(out.shape() == Shape{-1, 3});
  checkLayerGradients(model, {randomTensor({2, 4, 3, 2})}, false);
}
