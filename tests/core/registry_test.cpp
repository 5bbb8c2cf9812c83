// Every registered layer, on the examples its registration declares
// (layers/layer_registration.h): a new layer is covered by adding it to the
// registry, with no edit here.
#include <doctest/doctest.h>

#include "layer_checks.h"

using namespace tanuki;
using namespace tanuki::testing;

namespace {
// Inputs spaced apart (no two within a finite-difference step of each other)
// and off 0 (ReLU's kink), so max and clamp layers are differentiable there.
std::vector<Tensor> exampleInputs(const LayerExample& example) {
  std::vector<Tensor> inputs;
  for (const Shape& shape : example.inputShapes) {
    Tensor x = distinctValues(shape);
    for (int64_t i = 0; i < x.size(); ++i) x[i] += 0.02f;
    inputs.push_back(x);
  }
  return inputs;
}

// A layer built for the example, each weight shifted off its initial value
// so that zeros (biases, moving means) and ones (scales, variances) are not
// special, and variances stay positive.
LayerPtr exampleLayer(const LayerRegistration& registration, const LayerExample& example) {
  LayerPtr layer = createLayer(registration.className, example.config);
  layer->build(example.inputShapes);
  for (const auto& w : layer->weights()) {
    float* v = w->mutableValue().data();
    for (int64_t i = 0; i < w->value().size(); ++i) v[i] += Random::global().uniform(0.1f, 0.5f);
  }
  return layer;
}
}  // namespace

TEST_CASE("every registered layer has an example, and each class is registered once") {
  std::vector<std::string> names;
  for (const LayerRegistration& r : registeredLayers()) {
    CAPTURE(r.className);
    CHECK_FALSE(r.examples.empty());
    names.push_back(r.className);
  }
  CHECK(names == supportedLayerClasses());
}

TEST_CASE("every registered layer: config round trip, shapes, finite-difference gradients") {
  SeededRandom seeded(7);
  for (const LayerRegistration& registration : registeredLayers()) {
    for (size_t e = 0; e < registration.examples.size(); ++e) {
      const LayerExample& example = registration.examples[e];
      CAPTURE(registration.className);
      CAPTURE(e);
      const LayerPtr layer = exampleLayer(registration, example);
      CHECK(layer->className() == registration.className);
      const std::vector<Tensor> inputs = exampleInputs(example);
      checkRoundTrip(layer, inputs);

      // The output has the shape computeOutputShape promises; each input's
      // gradient has that input's shape.
      CallContext ctx;
      ctx.record = true;
      ctx.inputsNeedGrad.assign(inputs.size(), true);
      LayerCall out = layer->apply(inputs, ctx);
      CHECK(out.output.shape() == layer->computeOutputShape(example.inputShapes));
      REQUIRE(static_cast<bool>(out.backward));
      Gradients grads;
      const std::vector<Tensor> dInputs = out.backward(randomTensor(out.output.shape()), grads);
      REQUIRE(dInputs.size() == inputs.size());
      for (size_t i = 0; i < inputs.size(); ++i) CHECK(dInputs[i].shape() == inputs[i].shape());
      for (const auto& w : layer->trainableWeights()) {
        const Tensor* g = grads.find(w.get());
        REQUIRE(g != nullptr);
        CHECK(g->shape() == w->shape());
      }

      checkLayerGradients(*layer, inputs, false);
      if (example.checkTraining) checkLayerGradients(*layer, inputs, true);
    }
  }
}
