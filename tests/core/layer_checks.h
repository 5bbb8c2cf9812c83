// Checks shared by the layer-family tests: a per-test random seed, config
// round trips, and inputs that keep finite differences away from kinks.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include "gradient_check.h"
#include "layers/registry.h"

namespace tanuki::testing {

// Seeds the global generator for one test and restores its state after it:
// the test sees the same numbers whatever ran before it, and the tests after
// it see the numbers they would have seen without it.
class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : saved_(Random::global().engine()) { Random::global().seed(seed); }
  ~SeededRandom() { Random::global().engine() = saved_; }
  SeededRandom(const SeededRandom&) = delete;
  SeededRandom& operator=(const SeededRandom&) = delete;

 private:
  std::mt19937_64 saved_;
};

// A layer rebuilt from its own Keras config has the same config and, given
// the same weights, computes the same outputs.
inline void checkRoundTrip(const LayerPtr& original, const std::vector<Tensor>& inputs) {
  CallContext ctx;
  const Tensor expected = original->apply(inputs, ctx).output;
  const Json config = original->getConfig();
  const LayerPtr copy = createLayer(original->className(), config);
  CHECK(copy->getConfig() == config);
  if (!original->weights().empty()) {
    std::vector<Shape> shapes;
    for (const auto& x : inputs) shapes.push_back(x.shape());
    copy->build(shapes);
    copy->setWeights(original->getWeights());
  }
  CHECK(copy->apply(inputs, ctx).output.toVector() == expected.toVector());
}

// Values spaced 0.05 apart in random order: no two are within a
// finite-difference step of each other.
inline Tensor distinctValues(const Shape& shape) {
  Tensor t(shape);
  std::vector<int64_t> order(static_cast<size_t>(t.size()));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), Random::global().engine());
  for (int64_t i = 0; i < t.size(); ++i) t[i] = 0.05f * static_cast<float>(order[i] - t.size() / 2);
  return t;
}

}  // namespace tanuki::testing
