// The inference plan (BatchNormalization folded into the convolution before
// it, the activation fused into the kernel's store) against the layer-by-layer
// path, which a recorded call still takes.
#include <doctest/doctest.h>

#include <cmath>
#include <map>

#include "gradient_check.h"
#include "layer_checks.h"
#include "models/functional.h"
#include "test_helpers.h"
#include "util/profiler.h"

using namespace tanuki;
using namespace tanuki::testing;

namespace {
Tensor unfused(Functional& model, const Tensor& x) {
  CallContext ctx;
  ctx.record = true;
  ctx.inputsNeedGrad = {true};
  return model.apply({x}, ctx).output;
}

double maxDifference(const Tensor& a, const Tensor& b) {
  REQUIRE(a.shape() == b.shape());
  double worst = 0;
  for (int64_t i = 0; i < a.size(); ++i) worst = std::max(worst, static_cast<double>(std::abs(a[i] - b[i])));
  return worst;
}

// Moving statistics and scales far from their initial values.
void randomizeNormalization(Model& model) {
  for (const auto& w : model.weights())
    if (w->name().find("batch_normalization") != std::string::npos) {
      const bool positive =
          w->name().find("variance") != std::string::npos || w->name().find("gamma") != std::string::npos;
      w->assign(randomTensor(w->shape(), positive ? 0.5f : -1.0f, positive ? 2.0f : 1.0f));
    }
}
}  // namespace

TEST_CASE("fused Conv2D/DepthwiseConv2D/Dense + BatchNormalization + ReLU/ReLU6 equal the unfused layers") {
  SeededRandom seeded(21);
  auto input = makeInput({9, 9, 3});
  auto x = applySymbolic(layer("Conv2D", {{"filters", 8}, {"kernel_size", 3}, {"strides", 2}, {"padding", "same"}}),
                         {input});
  x = applySymbolic(layer("BatchNormalization"), {x});
  x = applySymbolic(layer("ReLU", {{"max_value", 6}}), {x});
  auto dw =
      applySymbolic(layer("DepthwiseConv2D", {{"kernel_size", 3}, {"padding", "same"}, {"use_bias", false}}), {x});
  dw = applySymbolic(layer("BatchNormalization"), {dw});
  dw = applySymbolic(layer("Activation", {{"activation", "relu"}}), {dw});
  auto pw = applySymbolic(layer("Conv2D", {{"filters", 8}, {"kernel_size", 1}}), {dw});
  pw = applySymbolic(layer("BatchNormalization"), {pw});  // no activation after it
  x = applySymbolic(layer("Add"), {x, pw});               // x is read twice: not fused into its reader
  x = applySymbolic(layer("GlobalAveragePooling2D"), {x});
  x = applySymbolic(layer("Dense", {{"units", 5}}), {x});
  x = applySymbolic(layer("BatchNormalization"), {x});
  auto out = applySymbolic(layer("Activation", {{"activation", "relu6"}}), {x});
  Functional model({input}, {out});
  randomizeNormalization(model);

  const Tensor images = randomTensor({3, 9, 9, 3}, -3.0f, 3.0f);
  CHECK(maxDifference(model.predict(images), unfused(model, images)) <= 1e-5);

  SUBCASE("folded weights follow every change of the weights they come from") {
    model.predict(images);  // folds
    for (const auto& w : model.weights()) {
      if (w->name().find("moving_mean") == std::string::npos) continue;
      float* values = w->mutableValue().data();
      for (int64_t i = 0; i < w->value().size(); ++i) values[i] += 0.5f;
    }
    CHECK(maxDifference(model.predict(images), unfused(model, images)) <= 1e-5);
    model.setWeights(model.getWeights());
    auto kernel = model.weights()[0];
    kernel->assign(randomTensor(kernel->shape()));
    CHECK(maxDifference(model.predict(images), unfused(model, images)) <= 1e-5);
  }

  SUBCASE("a trainable BatchNormalization called with training=true is not folded") {
    CallContext training;
    training.training = true;
    const Tensor batchStats = model.apply({images}, training).output;
    CallContext inference;
    CHECK(maxDifference(batchStats, model.apply({images}, inference).output) > 1e-3);
  }
}

TEST_CASE("a ZeroPadding2D before a 'valid' DepthwiseConv2D becomes its implicit padding") {
  SeededRandom seeded(22);
  auto input = makeInput({10, 9, 8});
  // MobileNetV2's strided blocks: asymmetric padding, stride 2, then BN + ReLU6.
  auto x = applySymbolic(layer("ZeroPadding2D", {{"padding", Json::array({Json::array({0, 1}), Json::array({2, 1})})}}),
                         {input});
  x = applySymbolic(layer("DepthwiseConv2D", {{"kernel_size", 3}, {"strides", 2}, {"padding", "valid"}}), {x});
  x = applySymbolic(layer("BatchNormalization"), {x});
  x = applySymbolic(layer("ReLU", {{"max_value", 6}}), {x});
  // A padding read by two layers stays a layer of its own.
  auto shared = applySymbolic(layer("ZeroPadding2D", {{"padding", 1}}), {x});
  auto a = applySymbolic(layer("DepthwiseConv2D", {{"kernel_size", 3}, {"padding", "valid"}}), {shared});
  auto b = applySymbolic(layer("DepthwiseConv2D", {{"kernel_size", 3}, {"padding", "valid"}}), {shared});
  // A padding before a stride-1 depthwise with no normalization or activation after it.
  auto c = applySymbolic(layer("ZeroPadding2D", {{"padding", 1}}), {applySymbolic(layer("Add"), {a, b})});
  auto out = applySymbolic(layer("DepthwiseConv2D", {{"kernel_size", 3}, {"padding", "valid"}}), {c});
  Functional model({input}, {out});
  randomizeNormalization(model);
  const Tensor images = randomTensor({2, 10, 9, 8}, -3.0f, 3.0f);
  profiler::start();
  const Tensor fused = model.predict(images);
  std::map<std::string, int64_t> calls;  // what ran, as the profiler saw it
  for (const auto& e : profiler::stop()) calls[e.what] += e.calls;
  CHECK(fused.shape() == Shape{2, 5, 5, 8});
  CHECK(maxDifference(fused, unfused(model, images)) <= 1e-4);
  CHECK(calls["ZeroPadding2D+DepthwiseConv2D+BatchNormalization+ReLU"] == 1);
  CHECK(calls["ZeroPadding2D"] == 1);  // the shared one
  CHECK(calls["ZeroPadding2D+DepthwiseConv2D"] == 1);
  CHECK(calls["DepthwiseConv2D"] == 2);
}
