// Finite-difference checks of every backward pass.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "gradient_check.h"
#include "models/functional.h"
#include "models/sequential.h"
#include "test_helpers.h"
#include "training/losses/loss.h"
#include "util/profiler.h"

using namespace tanuki;
using namespace tanuki::testing;

TEST_CASE("Dense gradients, with each activation") {
  for (const char* act : {"linear", "relu", "relu6", "sigmoid", "tanh", "softmax", "elu", "selu", "softplus", "swish",
                          "gelu", "softsign"}) {
    const std::string activation = act;
    CAPTURE(activation);
    auto dense = layer("Dense", {{"units", 4}, {"activation", act}});
    checkLayerGradients(*dense, {randomTensor({3, 5})}, false);
  }
}

TEST_CASE("Dense on rank-3 input") {
  auto dense = layer("Dense", {{"units", 2}});
  checkLayerGradients(*dense, {randomTensor({2, 3, 4})}, false);
}

TEST_CASE("Activation layer gradients") {
  for (const char* act : {"relu", "sigmoid", "tanh", "softmax", "hard_sigmoid"}) {
    const std::string activation = act;
    CAPTURE(activation);
    auto a = layer("Activation", {{"activation", act}});
    checkLayerGradients(*a, {randomTensor({3, 6}, -2.0f, 2.0f)}, false, 1e-3, 1e-3f);
  }
}

TEST_CASE("BatchNormalization gradients in training and inference mode") {
  for (bool training : {true, false}) {
    CAPTURE(training);
    auto bn = layer("BatchNormalization", {{"momentum", 0.5}});
    bn->build({{-1, 3}});
    // Non-trivial statistics and scale so every term matters.
    bn->setWeights(
        {randomTensor({3}, 0.5f, 1.5f), randomTensor({3}), randomTensor({3}), randomTensor({3}, 0.5f, 2.0f)});
    checkLayerGradients(*bn, {randomTensor({6, 3}, -2.0f, 2.0f)}, training);
  }
}

namespace {
// dLoss/dInput then dLoss/dWeight (trainable weights in order) for upstream gradient r, recorded in training.
std::vector<std::vector<double>> recordedGradients(Layer& model, const Tensor& x, const Tensor& r) {
  CallContext ctx;
  ctx.training = true;
  ctx.record = true;
  ctx.inputsNeedGrad = {true};
  LayerCall out = model.apply({x}, ctx);
  Gradients grads;
  std::vector<const Tensor*> parts;
  const std::vector<Tensor> dx = out.backward(r, grads);
  parts.push_back(&dx[0]);
  for (const auto& w : model.trainableWeights()) parts.push_back(grads.find(w.get()));
  std::vector<std::vector<double>> result;
  for (const Tensor* t : parts) result.emplace_back(t->data(), t->data() + t->size());
  return result;
}
}  // namespace

TEST_CASE("a ReLU that BatchNormalization absorbs in training passes the same gradients") {
  // Conv2D -> BatchNormalization -> ReLU (clamped at 0.5, so both ends of the
  // clamp cut). Recorded in training, the functional model has the
  // BatchNormalization apply the clamp and gate its gradient; a sequential
  // model of the same layers runs them apart.
  auto conv = layer("Conv2D", {{"filters", 3}, {"kernel_size", 1}, {"use_bias", false}});
  auto bn = layer("BatchNormalization");
  auto relu = layer("ReLU", {{"max_value", 0.5}});
  auto input = makeInput({3, 3, 2});
  Functional model({input}, {applySymbolic(relu, {applySymbolic(bn, {applySymbolic(conv, {input})})})});
  Sequential apart;
  for (const auto& l : {conv, bn, relu}) apart.add(l);
  const Tensor x = randomTensor({4, 3, 3, 2}, -2.0f, 2.0f), r = randomTensor({4, 3, 3, 3});
  profiler::start();
  const auto fused = recordedGradients(model, x, r);
  std::map<std::string, int64_t> calls;  // what ran, as the profiler saw it
  for (const auto& e : profiler::stop()) calls[e.what] += e.calls;
  CHECK(calls["BatchNormalization"] == 2);  // forward and backward, with the ReLU
  CHECK(calls.count("ReLU") == 0);
  // By layer: each layer's forward and backward calls under its own name.
  profiler::start(true);
  recordedGradients(model, x, r);
  std::map<std::string, int64_t> byLayer;  // "layer phase" -> calls
  for (const auto& e : profiler::stop()) byLayer[e.layer + " " + e.phase] += e.calls;
  CHECK(byLayer == std::map<std::string, int64_t>{{conv->name() + " forward", 1},
                                                  {conv->name() + " backward", 1},
                                                  {bn->name() + " forward", 1},
                                                  {bn->name() + " backward", 1}});
  const auto unfused = recordedGradients(apart, x, r);
  REQUIRE(fused.size() == unfused.size());
  for (size_t k = 0; k < fused.size(); ++k) {
    CAPTURE(k);
    CHECK(relativeError(fused[k], unfused[k]) <= 1e-5);
  }
  // Both ends of the clamp were reached, so the gate was exercised.
  const Tensor y = model.apply(x, true);
  int below = 0, above = 0;
  for (int64_t i = 0; i < y.size(); ++i) {
    below += y[i] <= 0.0f;
    above += y[i] >= 0.5f;
  }
  CHECK(below > 0);
  CHECK(above > 0);
  // A clamp whose input another layer reads too is not absorbed: the ReLU runs.
  auto input2 = makeInput({3, 3, 2});
  auto bn2 = applySymbolic(layer("BatchNormalization"), {applySymbolic(conv, {input2})});
  auto both = applySymbolic(layer("Add"), {bn2, applySymbolic(layer("ReLU", {{"max_value", 0.5}}), {bn2})});
  Functional shared({input2}, {both});
  profiler::start();
  recordedGradients(shared, x, r);
  calls.clear();
  for (const auto& e : profiler::stop()) calls[e.what] += e.calls;
  CHECK(calls["ReLU"] == 2);  // forward and backward
}

TEST_CASE("models propagate gradients through nested and shared paths") {
  auto inner = std::make_shared<Sequential>();
  inner->add(layer("Dense", {{"units", 4}, {"activation", "tanh"}, {"batch_input_shape", {nullptr, 3}}}));
  inner->add(layer("BatchNormalization"));
  auto input = makeInput({3});
  auto h = applySymbolic(inner, {input});
  auto out = applySymbolic(layer("Dense", {{"units", 2}, {"activation", "sigmoid"}}), {h});
  Functional model({input}, {out});
  // A larger step: through three float layers the central differences'
  // rounding noise (~1e-7 / step) would otherwise rival the small bias gradients.
  checkLayerGradients(model, {randomTensor({5, 3})}, true, 1e-3, 1e-2f);
  checkLayerGradients(model, {randomTensor({5, 3})}, false, 1e-3, 1e-2f);
}

TEST_CASE("loss gradients match finite differences") {
  const Tensor probs = [] {
    Tensor p = randomTensor({4, 3}, 0.05f, 0.95f);
    return p;
  }();
  Tensor onehot({4, 3}, std::vector<float>{1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0});
  Tensor sparse({4}, std::vector<float>{0, 1, 2, 1});
  struct Case {
    const char* name;
    Json config;
    Tensor yTrue;
  };
  std::vector<Case> cases = {
      {"meanSquaredError", Json::object(), onehot},
      {"binaryCrossentropy", Json::object(), onehot},
      {"binaryCrossentropy", {{"from_logits", true}, {"label_smoothing", 0.1}}, onehot},
      {"categoricalCrossentropy", Json::object(), onehot},
      {"categoricalCrossentropy", {{"from_logits", true}, {"label_smoothing", 0.2}}, onehot},
      {"sparseCategoricalCrossentropy", Json::object(), sparse},
      {"sparseCategoricalCrossentropy", {{"from_logits", true}}, sparse},
  };
  Tensor weights({4}, std::vector<float>{1, 0.5f, 2, 1});
  for (const auto& c : cases) {
    const std::string lossName = c.name;
    CAPTURE(lossName);
    CAPTURE(c.config.dump());
    auto loss = makeLoss(c.name, c.config);
    Tensor pred = probs.clone();
    Tensor grad;
    loss->compute(c.yTrue, pred, &weights, &grad);
    std::vector<double> numeric, analytic(grad.data(), grad.data() + grad.size());
    const float h = 1e-3f;
    for (int64_t i = 0; i < pred.size(); ++i) {
      const float saved = pred[i];
      pred[i] = saved + h;
      const double up = loss->compute(c.yTrue, pred, &weights, nullptr);
      pred[i] = saved - h;
      const double down = loss->compute(c.yTrue, pred, &weights, nullptr);
      pred[i] = saved;
      numeric.push_back((up - down) / (2 * h));
    }
    CHECK(relativeError(analytic, numeric) <= 2e-3);
  }
}
