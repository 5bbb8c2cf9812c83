#include "layers/core/flatten.h"

#include "layers/convolutional/conv_options.h"
#include "layers/layer_registration.h"

namespace tanuki {

Flatten::Flatten(const ConfigReader& config) : Layer(config, "flatten") {
  // channels_first would flatten in another order than the tensors here have.
  requireChannelsLast(config, layerLabel(config, name()));
}

Shape Flatten::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  if (in.empty()) shapeError("expects an input with a batch dimension, got a scalar");
  int64_t features = 1;
  for (size_t d = 1; d < in.size(); ++d) features = (features < 0 || in[d] < 0) ? -1 : features * in[d];
  return {in[0], features};
}

LayerCall Flatten::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  LayerCall result{x.reshape(computeOutputShape({x.shape()})), {}};
  if (!ctx.record || !ctx.inputNeedsGrad(0)) return result;
  result.backward = [shape = x.shape()](const Tensor& dy, Gradients&) {
    return std::vector<Tensor>{dy.reshape(shape)};
  };
  return result;
}

Json Flatten::getConfig() const {
  Json c = Layer::getConfig();
  c["data_format"] = "channels_last";
  return c;
}

template <>
LayerRegistration registration<Flatten>() {
  return {"Flatten", createAs<Flatten>, {LayerExample{Json::object(), {{2, 3, 2, 2}}}}};
}

}  // namespace tanuki
