// AugmentationLayer: what Keras's random image layers (RandomFlip,
// RandomRotation, RandomZoom, RandomTranslation, RandomContrast) share.
//   - NHWC images in ([N, H, W, C], or one [H, W, C] image), same shape out;
//   - active only when called with training=true, the identity otherwise
//     (so predict() and evaluate() see the images as they are);
//   - each image of a batch gets its own random parameters;
//   - randomness from Random::global() (tk.setSeed makes it repeatable), or
//     from the layer's own generator when its config has a "seed".
// No weights. Backward: the identity passes the gradient through; an active
// layer returns no input gradient, as its inputs are images.
#pragma once

#include <cstdint>
#include <optional>
#include <random>

#include "layers/layer.h"

namespace tanuki {

class AugmentationLayer : public Layer {
 public:
  AugmentationLayer(const ConfigReader& config, const std::string& defaultName);
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) final;
  // Writes an augmented copy of one height x width x channels image.
  virtual void augmentImage(const float* in, float* out, int64_t height, int64_t width, int64_t channels,
                            std::mt19937_64& rng) = 0;
  // Uniform in [low, high), the same on every platform (std's distributions are not).
  static float uniform(std::mt19937_64& rng, float low, float high);
  // Errors that name this layer.
  [[noreturn]] void configError(const std::string& what) const;

 private:
  std::mt19937_64& engine();
  std::optional<int64_t> seed_;
  std::mt19937_64 ownEngine_;
};

}  // namespace tanuki
