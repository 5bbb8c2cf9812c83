#include "layers/preprocessing/augmentation_layer.h"

#include "util/errors.h"
#include "util/random.h"

namespace tanuki {

AugmentationLayer::AugmentationLayer(const ConfigReader& config, const std::string& defaultName)
    : Layer(config, defaultName) {
  // Keras 3 configs carry data_format; images here are always NHWC.
  config.requireOneOf("data_format", config.getString("data_format", "channels_last"), {"channels_last"});
  if (config.has("seed")) {
    seed_ = config.getInt("seed", 0);
    ownEngine_.seed(static_cast<uint64_t>(*seed_));
  }
}

Shape AugmentationLayer::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  if (in.size() != 3 && in.size() != 4)
    shapeError("expects images [batch, height, width, channels] or [height, width, channels], got " +
               shapeToString(in));
  return in;
}

Json AugmentationLayer::getConfig() const {
  Json c = Layer::getConfig();
  c["seed"] = seed_ ? Json(*seed_) : Json(nullptr);
  c["data_format"] = "channels_last";
  return c;
}

std::mt19937_64& AugmentationLayer::engine() { return seed_ ? ownEngine_ : Random::global().engine(); }

float AugmentationLayer::uniform(std::mt19937_64& rng, float low, float high) {
  const double unit = static_cast<double>(rng() >> 11) * 0x1.0p-53;  // 53 random bits in [0, 1)
  return static_cast<float>(low + (high - low) * unit);
}

void AugmentationLayer::configError(const std::string& what) const {
  fail<ValueError>(className(), " '", name(), "': ", what);
}

LayerCall AugmentationLayer::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const bool wantDx = ctx.record && ctx.inputNeedsGrad(0);
  if (!ctx.training) {
    LayerCall identity{x, {}};
    if (wantDx) identity.backward = [](const Tensor& dy, Gradients&) { return std::vector<Tensor>{dy}; };
    return identity;
  }
  const int64_t h = x.dim(-3), w = x.dim(-2), c = x.dim(-1);
  const int64_t images = x.rank() == 4 ? x.dim(0) : 1;
  const int64_t stride = h * w * c;
  Tensor y(x.shape());
  std::mt19937_64& rng = engine();
  for (int64_t i = 0; i < images; ++i) augmentImage(x.data() + i * stride, y.data() + i * stride, h, w, c, rng);
  LayerCall result{y, {}};
  if (wantDx) result.backward = [](const Tensor&, Gradients&) { return std::vector<Tensor>(1); };
  return result;
}

}  // namespace tanuki
