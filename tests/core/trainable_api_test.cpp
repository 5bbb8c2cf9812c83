// Keras's transfer-learning guide, section "the trainable attribute", as tests.
#include <doctest/doctest.h>

#include "models/functional.h"
#include "models/sequential.h"
#include "test_helpers.h"
#include "util/errors.h"

using namespace tanuki;
using tanuki::testing::layer;

TEST_CASE("Dense has 2 trainable weights") {
  auto dense = layer("Dense", {{"units", 3}});
  dense->build({{-1, 4}});
  CHECK(dense->weights().size() == 2);
  CHECK(dense->trainableWeights().size() == 2);
  CHECK(dense->nonTrainableWeights().empty());
  CHECK(dense->countParams() == 15);
}

TEST_CASE("BatchNormalization has 2 trainable and 2 non-trainable weights") {
  auto bn = layer("BatchNormalization");
  bn->build({{-1, 4}});
  CHECK(bn->weights().size() == 4);
  CHECK(bn->trainableWeights().size() == 2);
  CHECK(bn->nonTrainableWeights().size() == 2);
  CHECK(bn->nonTrainableWeights()[0]->name() == bn->name() + "/moving_mean");
}

TEST_CASE("a frozen layer has only non-trainable weights, and unfreezing restores them") {
  auto dense = layer("Dense", {{"units", 3}});
  dense->build({{-1, 4}});
  dense->setTrainable(false);
  CHECK(dense->weights().size() == 2);
  CHECK(dense->trainableWeights().empty());
  CHECK(dense->nonTrainableWeights().size() == 2);
  CHECK_FALSE(dense->weights()[0]->trainable());
  dense->setTrainable(true);
  CHECK(dense->trainableWeights().size() == 2);
}

TEST_CASE("fit leaves a frozen layer's weights unchanged and trains the others") {
  auto layer1 = layer("Dense", {{"units", 3}, {"activation", "relu"}});
  auto layer2 = layer("Dense", {{"units", 3}, {"activation", "sigmoid"}});
  auto model = std::make_shared<Sequential>();
  model->add(layer("InputLayer", {{"batch_input_shape", {nullptr, 3}}}));
  model->add(layer1);
  model->add(layer2);
  layer1->setTrainable(false);
  const auto before1 = layer1->getWeights();
  const auto before2 = layer2->getWeights();
  model->compile(makeOptimizer("adam", Json::object()), makeLoss("mse", Json::object()), {});
  Tensor x({2, 3}, std::vector<float>{0.1f, 0.5f, 0.9f, 0.3f, 0.7f, 0.2f});
  Tensor y({2, 3}, std::vector<float>{0.2f, 0.4f, 0.6f, 0.8f, 0.1f, 0.5f});
  model->trainOnBatch(x, y);
  const auto after1 = layer1->getWeights();
  const auto after2 = layer2->getWeights();
  for (size_t i = 0; i < before1.size(); ++i) CHECK(before1[i].toVector() == after1[i].toVector());
  CHECK(before2[0].toVector() != after2[0].toVector());
}

TEST_CASE("freezing a model freezes its nested layers recursively") {
  auto inner = std::make_shared<Sequential>();
  inner->add(layer("Dense", {{"units", 3}, {"activation", "relu"}, {"batch_input_shape", {nullptr, 3}}}));
  inner->add(layer("Dense", {{"units", 3}, {"activation", "relu"}}));
  auto input = makeInput({3});
  auto x = applySymbolic(inner, {input});
  x = applySymbolic(layer("Dense", {{"units", 3}, {"activation", "sigmoid"}}), {x});
  auto model = std::make_shared<Functional>(std::vector<SymbolicTensor>{input}, std::vector<SymbolicTensor>{x});
  CHECK(model->trainableWeights().size() == 6);
  model->setTrainable(false);
  CHECK(model->trainableWeights().empty());
  CHECK_FALSE(inner->trainable());
  CHECK_FALSE(inner->layers()[0]->trainable());
  CHECK(model->nonTrainableWeights().size() == 6);
  model->setTrainable(true);
  CHECK(inner->layers()[0]->trainable());
  CHECK(model->trainableWeights().size() == 6);
}

TEST_CASE("frozen BatchNormalization runs in inference mode and keeps its moving statistics") {
  auto bn = layer("BatchNormalization");
  Tensor x({4, 2}, std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8});
  bn->setTrainable(false);
  const Tensor y = bn->apply(x, /*training=*/true);
  // Inference with fresh statistics (mean 0, variance 1) is y = x / sqrt(1 + eps).
  CHECK(y[0] == doctest::Approx(1.0 / std::sqrt(1.001)));
  CHECK(bn->getWeights()[2].toVector() == std::vector<float>{0, 0});
  bn->setTrainable(true);
  bn->apply(x, /*training=*/true);
  CHECK(bn->getWeights()[2][0] == doctest::Approx(0.04));  // 0.99 * 0 + 0.01 * mean 4
  bn->apply(x, /*training=*/false);                        // inference never updates
  CHECK(bn->getWeights()[2][0] == doctest::Approx(0.04));
}

TEST_CASE("a base called with training=false keeps BatchNormalization in inference mode when unfrozen") {
  auto base = std::make_shared<Sequential>();
  base->add(layer("BatchNormalization", {{"batch_input_shape", {nullptr, 2}}}));
  auto input = makeInput({2});
  auto features = applySymbolic(base, {input}, /*training=*/false);
  auto out = applySymbolic(layer("Dense", {{"units", 1}}), {features});
  auto model = std::make_shared<Functional>(std::vector<SymbolicTensor>{input}, std::vector<SymbolicTensor>{out});
  model->compile(makeOptimizer("sgd", Json::object()), makeLoss("mse", Json::object()), {});
  Tensor x({2, 2}, std::vector<float>{1, 2, 3, 4});
  Tensor y({2, 1}, std::vector<float>{1, 0});
  model->trainOnBatch(x, y);
  CHECK(base->layers()[0]->getWeights()[2].toVector() == std::vector<float>{0, 0});
}

TEST_CASE("compile captures trainable flags until the next compile") {
  auto dense = layer("Dense", {{"units", 1}, {"batch_input_shape", {nullptr, 2}}});
  auto model = std::make_shared<Sequential>();
  model->add(dense);
  model->compile(makeOptimizer("sgd", {{"learning_rate", 0.1}}), makeLoss("mse", Json::object()), {});
  dense->setTrainable(false);  // not yet in effect
  Tensor x({1, 2}, std::vector<float>{1, 1});
  Tensor y({1, 1}, std::vector<float>{5});
  const auto before = dense->getWeights()[0].toVector();
  model->trainOnBatch(x, y);
  CHECK(dense->getWeights()[0].toVector() != before);
  CHECK_FALSE(dense->trainable());  // the user's setting is kept
  model->compile(makeOptimizer("sgd", {{"learning_rate", 0.1}}), makeLoss("mse", Json::object()), {});
  const auto frozen = dense->getWeights()[0].toVector();
  model->trainOnBatch(x, y);
  CHECK(dense->getWeights()[0].toVector() == frozen);
}

TEST_CASE("misuse raises specific errors") {
  auto model = std::make_shared<Sequential>();
  model->add(layer("Dense", {{"units", 2}, {"batch_input_shape", {nullptr, 3}}}));
  Tensor x({1, 3});
  Tensor y({1, 2});
  CHECK_THROWS_AS(model->trainOnBatch(x, y), StateError);
  CHECK_THROWS_WITH_AS(layer("Dense", {{"units", 2}, {"activation", "nope"}}),
                       doctest::Contains("unknown activation 'nope'"), ValueError);
  CHECK_THROWS_WITH_AS(model->apply(Tensor({1, 4})), doctest::Contains("expects last dimension 3"), ValueError);
  CHECK_THROWS_WITH_AS(layer("Conv9D"), doctest::Contains("unknown layer class 'Conv9D'"), ValueError);
  CHECK_THROWS_AS(model->add(layer("Dense", {{"units", 2}, {"use_bias", "yes"}})), ValueError);
}
