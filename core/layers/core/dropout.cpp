#include "layers/core/dropout.h"

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
  // mask: 0 for a dropped value, 1 / (1 - rate) for a kept one; y = x * mask.
  const float keepScale = static_cast<float>(1.0 / (1.0 - rate_));
  // Each value is dropped when 32 random bits fall below rate * 2^32: two
  // values per 64-bit draw.
  Tensor mask = Tensor::uninitialized(x.shape());
  FastRandomStream bits(Random::global().next64());
  const uint64_t threshold = static_cast<uint64_t>(rate_ * 4294967296.0);
  const int64_t n = mask.size();
  for (int64_t i = 0; i < n; i += 2) {
    const uint64_t r = bits.next();
    mask[i] = (r & 0xffffffffULL) < threshold ? 0.0f : keepScale;
    if (i + 1 < n) mask[i + 1] = (r >> 32) < threshold ? 0.0f : keepScale;
  }
  Tensor y = Tensor::uninitialized(x.shape());
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] * mask[i];

  LayerCall result{y, {}};
  if (!needDx) return result;
  result.backward = [mask](const Tensor& dy, Gradients&) {
    Tensor dx(dy.shape());
    for (int64_t i = 0; i < dx.size(); ++i) dx[i] = dy[i] * mask[i];
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
