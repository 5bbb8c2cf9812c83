#include "layers/activations/relu.h"

#include <limits>

#include "layers/convolutional/conv_options.h"
#include "layers/layer_registration.h"
#include "util/errors.h"

namespace tanuki {

ReLU::ReLU(const ConfigReader& config)
    : Layer(config, "re_lu"),
      negativeSlope_(config.getDouble("negative_slope", 0.0)),
      threshold_(config.getDouble("threshold", 0.0)) {
  const std::string label = layerLabel(config, name());
  if (config.has("max_value")) maxValue_ = config.getDouble("max_value", 0.0);
  // Keras rejects negative values for all three.
  if (maxValue_ && *maxValue_ < 0) fail<ValueError>(label, ": 'max_value' must be >= 0, got ", *maxValue_);
  if (negativeSlope_ < 0) fail<ValueError>(label, ": 'negative_slope' must be >= 0, got ", negativeSlope_);
  if (threshold_ < 0) fail<ValueError>(label, ": 'threshold' must be >= 0, got ", threshold_);
}

LayerCall ReLU::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const float top = maxValue_ ? static_cast<float>(*maxValue_) : std::numeric_limits<float>::infinity();
  const float slope = static_cast<float>(negativeSlope_), threshold = static_cast<float>(threshold_);
  Tensor y = Tensor::uninitialized(x.shape());
  for (int64_t i = 0; i < y.size(); ++i) {
    const float v = x[i];
    y[i] = v >= top ? top : v >= threshold ? v : slope * (v - threshold);
  }
  LayerCall result{y, {}};
  if (!ctx.record || !ctx.inputNeedsGrad(0)) return result;
  result.backward = [x, top, slope, threshold](const Tensor& dy, Gradients&) {
    Tensor dx = Tensor::uninitialized(dy.shape());
    const float* __restrict xv = x.data();
    const float* __restrict g = dy.data();
    float* __restrict out = dx.data();
    // Branch-free, so the loop vectorizes: the slope's factor is 1 above the
    // threshold, `slope` below it, and 0 at or past the top.
    for (int64_t i = 0, n = dx.size(); i < n; ++i) {
      const float v = xv[i];
      const float factor = v >= top ? 0.0f : v >= threshold ? 1.0f : slope;
      out[i] = factor * g[i];
    }
    return std::vector<Tensor>{dx};
  };
  return result;
}

std::optional<ClampRange> ReLU::clampRange() const {
  if (negativeSlope_ != 0 || threshold_ != 0) return std::nullopt;
  return ClampRange{0.0f, maxValue_ ? static_cast<float>(*maxValue_) : std::numeric_limits<float>::infinity()};
}

Json ReLU::getConfig() const {
  Json c = Layer::getConfig();
  c["max_value"] = maxValue_ ? Json(*maxValue_) : Json(nullptr);
  c["negative_slope"] = negativeSlope_;
  c["threshold"] = threshold_;
  return c;
}

template <>
LayerRegistration registration<ReLU>() {
  return {"ReLU",
          createAs<ReLU>,
          {LayerExample{Json::object(), {{3, 4}}},
           LayerExample{{{"max_value", 1.0}, {"negative_slope", 0.1}, {"threshold", 0.5}}, {{3, 4}}}}};
}

}  // namespace tanuki
