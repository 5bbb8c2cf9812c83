#include "models/sequential.h"

#include "layers/core/input_layer.h"
#include "models/functional.h"
#include "util/errors.h"

namespace tanuki {

namespace {
Json nameConfig(const std::string& name) { return name.empty() ? Json::object() : Json{{"name", name}}; }
}  // namespace

Sequential::Sequential(const std::string& name) : Model(ConfigReader(nameConfig(name), "Sequential"), "sequential") {}

void Sequential::add(const LayerPtr& layer) {
  if (!layer) fail<ValueError>("Sequential.add: the layer is missing");
  for (const auto& l : layers_)
    if (l == layer) fail<ValueError>("Sequential '", name(), "' already contains layer '", layer->name(), "'");
  if (auto input = std::dynamic_pointer_cast<InputLayer>(layer)) {
    if (!layers_.empty() || inputShape_)
      fail<ValueError>("Sequential '", name(), "': an InputLayer can only be the first layer");
    inputShape_ = input->shape();
    return;  // Keras keeps InputLayer out of Sequential.layers
  }
  if (layer->inputCount() != 1)
    fail<ValueError>("Sequential '", name(), "': layer '", layer->name(), "' takes ", layer->inputCount(),
                     " inputs; Sequential layers take one");
  if (layers_.empty() && !inputShape_ && layer->batchInputShape()) inputShape_ = layer->batchInputShape();
  if (inputShape_) {
    // Validate against the current output shape before accepting the layer.
    Shape shape = *inputShape_;
    for (const auto& l : layers_) shape = l->computeOutputShape({shape});
    layer->build({shape});
    layer->computeOutputShape({shape});
  }
  layers_.push_back(layer);
  if (inputShape_ && !built()) build({*inputShape_});
}

std::shared_ptr<Functional> Sequential::toFunctional() const {
  if (!inputShape_)
    fail<StateError>("Sequential '", name(),
                     "' has no input shape yet; build it or give its first layer an inputShape");
  const SymbolicTensor input = makeInput(Shape(inputShape_->begin() + 1, inputShape_->end()));
  SymbolicTensor x = input;
  for (const auto& layer : layers_) x = applySymbolic(layer, {x});
  return std::make_shared<Functional>(std::vector<SymbolicTensor>{input}, std::vector<SymbolicTensor>{x}, name());
}

void Sequential::pop() {
  if (layers_.empty()) fail<ValueError>("Sequential '", name(), "' has no layers to pop");
  layers_.pop_back();
}

std::vector<std::pair<LayerPtr, Shape>> Sequential::layerOutputShapes() const {
  std::vector<std::pair<LayerPtr, Shape>> out;
  if (!inputShape_) {
    for (const auto& l : layers_) out.emplace_back(l, Shape{});
    return out;
  }
  Shape shape = *inputShape_;
  for (const auto& l : layers_) {
    shape = l->computeOutputShape({shape});
    out.emplace_back(l, shape);
  }
  return out;
}

Shape Sequential::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  Shape shape = singleInput(inputShapes);
  if (layers_.empty()) shapeError("has no layers");
  for (const auto& l : layers_) shape = l->computeOutputShape({shape});
  return shape;
}

void Sequential::onBuild(const std::vector<Shape>& inputShapes) {
  if (!inputShape_) inputShape_ = inputShapes[0];
  Shape shape = inputShapes[0];
  for (const auto& l : layers_) {
    l->build({shape});
    shape = l->computeOutputShape({shape});
  }
}

LayerCall Sequential::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  std::vector<BackwardFn> tape;
  Tensor x = inputs[0];
  bool needGrad = ctx.record && ctx.inputNeedsGrad(0);
  for (const auto& layer : layers_) {
    CallContext sub;
    sub.training = ctx.training;
    sub.record = ctx.record;
    sub.inputsNeedGrad = {needGrad};
    LayerCall out = layer->apply(std::vector<Tensor>{x}, sub);
    x = std::move(out.output);
    if (out.backward) {
      tape.push_back(std::move(out.backward));
      needGrad = true;
    } else {
      // Nothing below this layer is trained: earlier steps are not needed.
      tape.clear();
      needGrad = false;
    }
  }
  LayerCall result{x, {}};
  if (tape.empty()) return result;
  const bool inputNeedsGrad = ctx.inputNeedsGrad(0);
  const size_t steps = tape.size();
  const bool reachesInput = steps == layers_.size() && inputNeedsGrad;
  result.backward = [tape = std::move(tape), reachesInput](const Tensor& dy, Gradients& grads) {
    Tensor d = dy;
    for (auto step = tape.rbegin(); step != tape.rend(); ++step) {
      std::vector<Tensor> dIn = step->operator()(d, grads);
      if (dIn.empty() || !dIn[0].defined()) return std::vector<Tensor>(1);
      d = std::move(dIn[0]);
    }
    return std::vector<Tensor>{reachesInput ? d : Tensor()};
  };
  return result;
}

}  // namespace tanuki
