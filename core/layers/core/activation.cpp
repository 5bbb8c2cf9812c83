#include "layers/core/activation.h"

#include <limits>

#include "layers/layer_registration.h"

namespace tanuki {

Activation::Activation(const ConfigReader& config)
    : Layer(config, "activation"),
      activation_(ActivationFunction::parse(config.getActivation("activation", "linear"))) {}

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

std::optional<ClampRange> Activation::clampRange() const {
  constexpr float inf = std::numeric_limits<float>::infinity();
  switch (activation_.kind()) {
    case ActivationFunction::Kind::Linear: return ClampRange{-inf, inf};
    case ActivationFunction::Kind::Relu: return ClampRange{0.0f, inf};
    case ActivationFunction::Kind::Relu6: return ClampRange{0.0f, 6.0f};
    default: return std::nullopt;
  }
}

Json Activation::getConfig() const {
  Json c = Layer::getConfig();
  c["activation"] = activation_.name();
  return c;
}

template <>
LayerRegistration registration<Activation>() {
  return {"Activation", createAs<Activation>, {LayerExample{{{"activation", "tanh"}}, {{3, 4}}}}};
}

}  // namespace tanuki
