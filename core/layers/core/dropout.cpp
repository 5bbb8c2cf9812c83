#include "layers/core/dropout.h"

#include <cstring>

#include "layers/convolutional/conv_options.h"
#include "layers/layer_registration.h"
#include "util/errors.h"
#include "util/random.h"

namespace tanuki {

namespace {

// The dropout mask of one call, as the seed of its random stream.
struct MaskStream {
  uint64_t seed;
  uint64_t threshold;  // a value is dropped when its 32 random bits fall below this
  float keepScale;

  // out[i] = in[i] * m[i]: a product even for a dropped value, so a NaN
  // or an infinity in `in` stays one, as Keras's x * mask keeps it.
  void multiply(const float* in, float* out, int64_t n) const {
    FastRandomStream bits(seed);
    uint32_t keepBits;
    std::memcpy(&keepBits, &keepScale, sizeof keepBits);
    int64_t i = 0;
    for (; i + 1 < n; i += 2) {
      const uint64_t r = bits.next();
      out[i] = in[i] * factor(keepBits, r & 0xffffffffULL);
      out[i + 1] = in[i + 1] * factor(keepBits, r >> 32);
    }
    if (i < n) out[i] = in[i] * factor(keepBits, bits.next() & 0xffffffffULL);
  }

  // 0 or keepScale, chosen by masking its bits: a branch on random bits is
  // mispredicted half the time (natively that made the loop 5x slower).
  float factor(uint32_t keepBits, uint64_t random32) const {
    const uint32_t kept = random32 < threshold ? 0u : ~0u;
    const uint32_t bits = keepBits & kept;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
  }
};

}  // namespace

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
  // y = x * m with m = 0 for a dropped value and 1 / (1 - rate) for a kept
  // one. Each value is dropped when 32 random bits fall below rate * 2^32,
  // two values per 64-bit draw of a stream seeded from the global generator.
  // The backward pass draws the same stream again from its seed rather than
  // keeping a mask as large as x: the head's trials run tens of thousands of
  // small steps, where writing and reading a mask cost more than the rest.
  const MaskStream mask{Random::global().next64(), static_cast<uint64_t>(rate_ * 4294967296.0),
                        static_cast<float>(1.0 / (1.0 - rate_))};
  Tensor y = Tensor::uninitialized(x.shape());
  mask.multiply(x.data(), y.data(), x.size());

  LayerCall result{y, {}};
  if (!needDx) return result;
  result.backward = [mask](const Tensor& dy, Gradients&) {
    Tensor dx = Tensor::uninitialized(dy.shape());
    mask.multiply(dy.data(), dx.data(), dy.size());
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
