#include "layers/core/rescaling.h"

#include "layers/convolutional/conv_options.h"
#include "layers/layer_registration.h"
#include "util/errors.h"

namespace tanuki {

Rescaling::Rescaling(const ConfigReader& config)
    : Layer(config, "rescaling"), scale_(config.getDouble("scale", 1.0)), offset_(config.getDouble("offset", 0.0)) {
  if (!config.has("scale")) fail<ValueError>(layerLabel(config, name()), ": 'scale' is required");
}

LayerCall Rescaling::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const float scale = static_cast<float>(scale_), offset = static_cast<float>(offset_);
  Tensor y(x.shape());
  for (int64_t i = 0; i < y.size(); ++i) y[i] = x[i] * scale + offset;
  LayerCall result{y, {}};
  if (!ctx.record || !ctx.inputNeedsGrad(0)) return result;
  result.backward = [scale](const Tensor& dy, Gradients&) {
    Tensor dx(dy.shape());
    for (int64_t i = 0; i < dx.size(); ++i) dx[i] = dy[i] * scale;
    return std::vector<Tensor>{dx};
  };
  return result;
}

Json Rescaling::getConfig() const {
  Json c = Layer::getConfig();
  c["scale"] = scale_;
  c["offset"] = offset_;
  return c;
}

template <>
LayerRegistration registration<Rescaling>() {
  return {"Rescaling", createAs<Rescaling>, {LayerExample{{{"scale", 0.5}, {"offset", 0.1}}, {{3, 4}}}}};
}

}  // namespace tanuki
