#include "layers/core/softmax.h"

#include "activations/activation_function.h"
#include "layers/core/activation.h"
#include "layers/layer_registration.h"
#include "util/errors.h"

namespace tanuki {

Softmax::Softmax(const ConfigReader& config) : Layer(config, "softmax"), axis_(config.getInt("axis", -1)) {}

Shape Softmax::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  if (in.empty()) shapeError("expects an input of rank >= 1, got a scalar");
  // A positive axis is fine when it names the last one.
  if (axis_ != -1 && axis_ != static_cast<int64_t>(in.size()) - 1)
    shapeError("only the last axis (-1) is supported, got axis " + std::to_string(axis_) + " for shape " +
               shapeToString(in));
  return in;
}

LayerCall Softmax::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  return applyActivation(ActivationFunction(ActivationFunction::Kind::Softmax), inputs[0], ctx.record,
                         ctx.inputNeedsGrad(0));
}

Json Softmax::getConfig() const {
  Json c = Layer::getConfig();
  c["axis"] = axis_;
  return c;
}

template <>
LayerRegistration registration<Softmax>() {
  return {"Softmax", createAs<Softmax>, {LayerExample{Json::object(), {{3, 4}}}}};
}

}  // namespace tanuki
