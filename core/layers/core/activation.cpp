#include "layers/core/activation.h"

namespace tanuki {

Activation::Activation(const ConfigReader& config)
    : Layer(config, "activation"), activation_(ActivationFunction::parse(config.getActivation("activation", "linear"))) {}

LayerCall applyActivation(const ActivationFunction& f, const Tensor& x, bool record, bool needDx) {
  const int64_t lastDim = x.rank() ? x.shape().back() : 1;
  Tensor y(x.shape());
  f.forward(x.data(), y.data(), x.size(), lastDim);
  LayerCall result{y, {}};
  if (record && needDx) {
    result.backward = [f, x, y, lastDim](const Tensor& dy, Gradients&) {
      Tensor dx(dy.shape());
      f.backward(x.data(), y.data(), dy.data(), dx.data(), dx.size(), lastDim);
      return std::vector<Tensor>{dx};
    };
  }
  return result;
}

LayerCall Activation::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  return applyActivation(activation_, inputs[0], ctx.record, ctx.inputNeedsGrad(0));
}

Json Activation::getConfig() const {
  Json c = Layer::getConfig();
  c["activation"] = activation_.name();
  return c;
}

}  // namespace tanuki
