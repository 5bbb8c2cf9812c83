// Finite-difference gradient checks shared by the layer tests.
//
// For a layer and inputs, the scalar f = Σ layer(inputs) ⊙ R (R fixed and
// random) is differentiated two ways: by the layer's backward pass with
// dy = R, and by central differences on every input element and every
// trainable weight element. The two must agree to a relative error (over the
// whole gradient vector) of at most `tolerance`.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "layers/layer.h"
#include "util/random.h"

namespace tanuki::testing {

inline Tensor randomTensor(const Shape& shape, float low = -1.0f, float high = 1.0f) {
  Tensor t(shape);
  for (int64_t i = 0; i < t.size(); ++i) t[i] = Random::global().uniform(low, high);
  return t;
}

// ‖a - b‖ / max(‖a‖, ‖b‖, 1e-6)
inline double relativeError(const std::vector<double>& a, const std::vector<double>& b) {
  double diff = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff += (a[i] - b[i]) * (a[i] - b[i]);
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return std::sqrt(diff) / std::max({std::sqrt(na), std::sqrt(nb), 1e-6});
}

inline void checkLayerGradients(Layer& layer, std::vector<Tensor> inputs, bool training, double tolerance = 1e-3,
                                float step = 1e-3f) {
  CallContext probe;
  probe.training = training;
  const Tensor y0 = layer.apply(inputs, probe).output;
  const Tensor r = randomTensor(y0.shape());
  auto objective = [&]() {
    CallContext ctx;
    ctx.training = training;
    const Tensor y = layer.apply(inputs, ctx).output;
    double s = 0;
    for (int64_t i = 0; i < y.size(); ++i) s += static_cast<double>(y[i]) * r[i];
    return s;
  };

  CallContext ctx;
  ctx.training = training;
  ctx.record = true;
  ctx.inputsNeedGrad.assign(inputs.size(), true);
  LayerCall out = layer.apply(inputs, ctx);
  REQUIRE(static_cast<bool>(out.backward));
  Gradients grads;
  const std::vector<Tensor> dInputs = out.backward(r, grads);
  REQUIRE(dInputs.size() == inputs.size());

  // values() is asked again for every write: a weight written in place must
  // go through Variable::mutableValue() each time, which marks it changed.
  auto numeric = [&](const std::function<float*()>& values, int64_t n) {
    std::vector<double> g(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      const float saved = values()[i];
      values()[i] = saved + step;
      const double up = objective();
      values()[i] = saved - step;
      const double down = objective();
      values()[i] = saved;
      g[static_cast<size_t>(i)] = (up - down) / (2.0 * step);
    }
    return g;
  };
  for (size_t k = 0; k < inputs.size(); ++k) {
    inputs[k] = inputs[k].clone();  // perturbed in place below
    const std::vector<double> expected = numeric([&] { return inputs[k].data(); }, inputs[k].size());
    REQUIRE(dInputs[k].defined());
    std::vector<double> actual(dInputs[k].data(), dInputs[k].data() + dInputs[k].size());
    INFO(layer.name() << " input " << k);
    CHECK(relativeError(actual, expected) <= tolerance);
  }
  for (const auto& w : layer.trainableWeights()) {
    const std::vector<double> expected = numeric([&] { return w->mutableValue().data(); }, w->value().size());
    const Tensor* g = grads.find(w.get());
    REQUIRE(g != nullptr);
    std::vector<double> actual(g->data(), g->data() + g->size());
    INFO(layer.name() << " weight " << w->name());
    CHECK(relativeError(actual, expected) <= tolerance);
  }
}

}  // namespace tanuki::testing
