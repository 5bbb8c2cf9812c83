#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/sequential.h"
#include "test_helpers.h"
#include "training/optimizers/learning_rate_schedule.h"
#include "util/errors.h"
#include "util/random.h"

using namespace tanuki;
using tanuki::testing::layer;

namespace {
// One weight w with loss (w - 3)²: every optimizer must approach 3.
float minimize(const std::string& optimizer, const Json& config, int steps) {
  auto v = std::make_shared<Variable>("w", Tensor({1}, std::vector<float>{0}), true);
  auto opt = makeOptimizer(optimizer, config);
  for (int i = 0; i < steps; ++i) opt->applyGradients({{v, Tensor({1}, std::vector<float>{2 * (v->value()[0] - 3)})}});
  return v->value()[0];
}
}  // namespace

TEST_CASE("optimizers follow their Keras update rules") {
  // SGD: w1 = 0 - 0.1 * (-6) = 0.6
  CHECK(minimize("sgd", {{"learning_rate", 0.1}}, 1) == doctest::Approx(0.6));
  // Momentum: m1 = -0.1*-6 = 0.6 -> w1 = 0.6; g2 = -4.8, m2 = 0.9*0.6 + 0.48 = 1.02 -> w2 = 1.62
  CHECK(minimize("sgd", {{"learning_rate", 0.1}, {"momentum", 0.9}}, 2) == doctest::Approx(1.62));
  // Adam's first step moves by lr whatever the gradient's scale.
  CHECK(minimize("adam", {{"learning_rate", 0.01}}, 1) == doctest::Approx(0.01).epsilon(1e-4));
  for (const char* name : {"sgd", "adam", "adamw", "rmsprop"}) {
    const std::string optimizerName = name;
    CAPTURE(optimizerName);
    Json config = {{"learning_rate", std::string(name) == "sgd" ? 0.1 : 0.05}};
    CHECK(std::fabs(minimize(name, config, 500) - 3.0f) < 0.1f);
  }
}

TEST_CASE("an optimizer step is all or nothing, over many pieces and threads") {
  // Two variables, the second big enough to be split into several pieces;
  // one value deep in the second gets an infinite gradient, which makes its
  // weight infinite or NaN under every rule. Nothing may change: not the
  // first variable, not the slots (the next good step must match an
  // optimizer that never saw the bad one).
  const int64_t big = 200000;  // above the size a step runs on the thread pool from
  auto makeVars = [&] {
    std::vector<float> w(big);
    for (int64_t i = 0; i < big; ++i) w[i] = 0.001f * static_cast<float>(i % 97);
    return std::pair{std::make_shared<Variable>("small", Tensor({3}, std::vector<float>{1, 2, 3}), true),
                     std::make_shared<Variable>("big", Tensor({big}, w), true)};
  };
  auto grads = [&](float at150000) {
    std::vector<float> g(big, 0.5f);
    g[150000] = at150000;
    return g;
  };
  for (const char* name : {"sgd", "adam", "adamw", "rmsprop"}) {
    const std::string optimizerName = name;
    CAPTURE(optimizerName);
    const Json config = {{"learning_rate", 0.1}, {"momentum", 0.5}};
    auto [a1, b1] = makeVars();
    auto [a2, b2] = makeVars();
    auto tried = makeOptimizer(name, config);
    auto fresh = makeOptimizer(name, config);
    auto step = [&](Optimizer& opt, VariablePtr a, VariablePtr b, float g) {
      opt.applyGradients({{a, Tensor({3}, std::vector<float>{1, -1, 0.5f})}, {b, Tensor({big}, grads(g))}});
    };
    const std::vector<float> before(b1->value().data(), b1->value().data() + big);
    CHECK_THROWS_WITH_AS(step(*tried, a1, b1, std::numeric_limits<float>::infinity()), doctest::Contains("'big'"),
                         DivergedError);
    CHECK(tried->iterations() == 0);
    CHECK(a1->value()[0] == 1.0f);
    CHECK(std::equal(before.begin(), before.end(), b1->value().data()));
    step(*tried, a1, b1, 0.25f);
    step(*fresh, a2, b2, 0.25f);
    CHECK(tried->iterations() == 1);
    CHECK(std::equal(b1->value().data(), b1->value().data() + big, b2->value().data()));
    CHECK(std::equal(a1->value().data(), a1->value().data() + 3, a2->value().data()));
  }
}

TEST_CASE("an optimizer step names a variable given two gradients") {
  auto v = std::make_shared<Variable>("twice", Tensor({1}, std::vector<float>{0}), true);
  auto opt = makeOptimizer("sgd", {{"learning_rate", 0.1}});
  const Tensor g({1}, std::vector<float>{1});
  CHECK_THROWS_WITH_AS(opt->applyGradients({{v, g}, {v, g}}), doctest::Contains("'twice'"), ValueError);
  CHECK(v->value()[0] == 0.0f);
}

TEST_CASE("learning-rate schedules") {
  ExponentialDecay exp(0.1f, 10, 0.5f, false);
  CHECK(exp.at(10) == doctest::Approx(0.05));
  CHECK(ExponentialDecay(0.1f, 10, 0.5f, true).at(15) == doctest::Approx(0.05));
  CosineDecay cos(1.0f, 100, 0.0f);
  CHECK(cos.at(0) == doctest::Approx(1.0));
  CHECK(cos.at(50) == doctest::Approx(0.5));
  CHECK(cos.at(200) == doctest::Approx(0.0));
}

TEST_CASE("a small classifier learns XOR-like data to full accuracy") {
  Random::global().seed(7);
  auto model = std::make_shared<Sequential>();
  model->add(layer("Dense", {{"units", 16}, {"activation", "tanh"}, {"batch_input_shape", {nullptr, 2}}}));
  model->add(layer("Dense", {{"units", 1}, {"activation", "sigmoid"}}));
  model->compile(makeOptimizer("adam", {{"learning_rate", 0.05}}), makeLoss("binaryCrossentropy", Json::object()),
                 {"accuracy"});
  Tensor x({4, 2}, std::vector<float>{0, 0, 0, 1, 1, 0, 1, 1});
  Tensor y({4, 1}, std::vector<float>{0, 1, 1, 0});
  for (int i = 0; i < 300; ++i) model->trainOnBatch(x, y);
  model->resetMetrics();
  model->testOnBatch(x, y);
  const auto results = model->metricResults();
  CHECK(results[0].first == "loss");
  CHECK(results[0].second < 0.1);
  CHECK(results[1].first == "accuracy");
  CHECK(results[1].second == 1.0);
  const Tensor p = model->predict(x, 3);  // several batches
  CHECK(p.shape() == Shape{4, 1});
  CHECK(p[1] > 0.5f);
  CHECK(p[3] < 0.5f);
}
