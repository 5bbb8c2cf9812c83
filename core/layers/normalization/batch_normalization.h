// BatchNormalization over the last axis (channels last).
//   x: [..., C]; gamma, beta, movingMean, movingVariance: [C]
//
// Keras semantics: the layer uses the batch's statistics (and updates the
// moving ones) only when called with training=true AND it is trainable. A
// frozen BatchNormalization always runs in inference mode, which is what makes
// fine-tuning a frozen-then-unfrozen backbone safe.
#pragma once

#include "layers/layer.h"

namespace tanuki {

class BatchNormalization : public Layer {
 public:
  explicit BatchNormalization(const ConfigReader& config);
  std::string className() const override { return "BatchNormalization"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

  // In inference mode (not training, or frozen): y = x * a + b with
  // a = gamma / sqrt(movingVariance + eps), b = beta - movingMean * a.
  bool isChannelAffine(bool training) const override { return !(training && trainable()); }
  ChannelAffine channelAffine() const override;
  // In training mode the clamp of a following ReLU is applied with the
  // affine map, and its gradient gate within the backward pass's loops.
  bool absorbsClamp(bool training) const override { return training && trainable(); }

 protected:
  void onBuild(const std::vector<Shape>& inputShapes) override;
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  LayerCall callInference(const Tensor& x, const CallContext& ctx);
  LayerCall callTraining(const Tensor& x, const CallContext& ctx);
  // dGamma = Σ dy * xhat, dBeta = Σ dy per channel, for the weights that train.
  void accumulateScaleShift(const std::vector<double>& sumDyXhat, const std::vector<double>& sumDy,
                            Gradients& grads) const;

  int64_t axis_ = -1;
  float momentum_, epsilon_;
  bool center_, scale_;
  std::string betaInit_, gammaInit_, meanInit_, varianceInit_;
  VariablePtr gamma_, beta_, movingMean_, movingVariance_;
};

}  // namespace tanuki
