#include "layers/core/input_layer.h"

#include "layers/layer_registration.h"
#include "util/errors.h"

namespace tanuki {

InputLayer::InputLayer(const ConfigReader& config) : Layer(config, "input") {
  if (!batchInputShape()) fail<ValueError>("InputLayer '", name(), "' needs a shape (batch_input_shape)");
  shape_ = *batchInputShape();
  if (shape_.empty()) fail<ValueError>("InputLayer '", name(), "' needs a shape of rank >= 1");
  for (size_t i = 1; i < shape_.size(); ++i)
    if (shape_[i] > (int64_t{1} << 24))
      fail<ValueError>("InputLayer '", name(), "': dimension ", shape_[i], " is too large");
}

Shape InputLayer::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  if (inputShapes.empty()) return shape_;
  const Shape& in = singleInput(inputShapes);
  bool ok = in.size() == shape_.size();
  for (size_t i = 0; ok && i < in.size(); ++i) ok = shape_[i] < 0 || in[i] < 0 || shape_[i] == in[i];
  if (!ok) shapeError("expected input of shape " + shapeToString(shape_) + ", got " + shapeToString(in));
  return in;
}

LayerCall InputLayer::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  LayerCall result{inputs[0], {}};
  if (ctx.record && ctx.inputNeedsGrad(0))
    result.backward = [](const Tensor& dy, Gradients&) { return std::vector<Tensor>{dy}; };
  return result;
}

Json InputLayer::getConfig() const {
  Json c = Layer::getConfig();
  c.erase("trainable");
  c["sparse"] = false;
  c["ragged"] = false;
  return c;
}

template <>
LayerRegistration registration<InputLayer>() {
  return {"InputLayer", createAs<InputLayer>, {LayerExample{{{"batch_input_shape", {nullptr, 3, 2}}}, {{2, 3, 2}}}}};
}

}  // namespace tanuki
