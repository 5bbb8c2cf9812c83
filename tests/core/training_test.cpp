#include <doctest/doctest.h>

#include <cmath>

#include "models/sequential.h"
#include "test_helpers.h"
#include "training/optimizers/learning_rate_schedule.h"
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
