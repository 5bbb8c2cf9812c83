#include "layers/core/dropout.h"

#include "kernels/dropout/dropout.h"
#include "layers/convolutional/conv_options.h"
#include "layers/layer_registration.h"
#include "util/errors.h"
#include "util/random.h"

namespace tanuki {

Dropout::Dropout(const ConfigReader& config)
    : Layer(config, "dropout"),
      rate_(config.getDouble("rate", -1)),
      seed_(config.has("seed") ? config.raw()["seed"] : Json(nullptr)) {
  const std::string label = layerLabel(config, name());
  if (!config.has("rate")) fail<ValueError>(label, ": 'rate' is required");
  if (!(rate_ >= 0.0 && rate_ < 1.0)) fail<ValueError>(label, ": 'rate' must be in [0, 1), got ", rate_);
  if (config.has("noise_shape"))
    fail<ValueError>(label, ": 'noise_shape' is not supported (got ", config.raw()["noise_shape"].dump(), ")");
}

LayerCall Dropout::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const bool identity = !ctx.training || rate_ == 0.0;
  const bool needDx = ctx.record && ctx.inputNeedsGrad(0);
  if (identity) {
    LayerCall result{x, {}};
    if (needDx) result.backward = [](const Tensor& dy, Gradients&) { return std::vector<Tensor>{dy}; };
    return result;
  }
  // The mask (kernels/dropout) is a seed: the backward pass draws it again
  // rather than keeping one as large as x.
  const kernels::DropoutMask mask = kernels::dropoutMask(Random::global().next64(), rate_);
  Tensor y = Tensor::uninitialized(x.shape());
  kernels::dropoutMultiply(mask, x.data(), y.data(), x.size());

  LayerCall result{y, {}};
  if (!needDx) return result;
  result.backward = [mask](const Tensor& dy, Gradients&) {
    Tensor dx = Tensor::uninitialized(dy.shape());
    kernels::dropoutMultiply(mask, dy.data(), dx.data(), dy.size());
    return std::vector<Tensor>{dx};
  };
  return result;
}

Json Dropout::getConfig() const {
  Json c = Layer::getConfig();
  c["rate"] = rate_;
  c["noise_shape"] = nullptr;
  c["seed"] = seed_;
  return c;
}

template <>
LayerRegistration registration<Dropout>() {
  return {"Dropout", createAs<Dropout>, {LayerExample{{{"rate", 0.5}}, {{4, 6}}, false}}};
}

}  // namespace tanuki
