// LayerNormalization: each example normalized over its trailing `axis`
// dimensions (the last one by default), then scaled and shifted.
//   x: [batch, ..., D...], gamma, beta: [D...] (the normalized dimensions)
//   y = (x - mean) / sqrt(var + epsilon) * gamma + beta, with the mean and
//   (biased) variance of each example over those dimensions.
// The same in training and inference, as in Keras: there are no moving
// statistics.
#pragma once

#include "layers/layer.h"

namespace tanuki {

class LayerNormalization : public Layer {
 public:
  explicit LayerNormalization(const ConfigReader& config);
  std::string className() const override { return "LayerNormalization"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

 protected:
  void onBuild(const std::vector<Shape>& inputShapes) override;
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  // How many trailing dimensions of an input of `rank` are normalized.
  int64_t normalizedRank(int64_t rank) const;

  std::vector<int64_t> axes_;  // as configured (negative: from the end)
  bool axisIsList_;            // written back as configured: n or [n, ...]
  float epsilon_;
  bool center_, scale_;
  std::string betaInit_, gammaInit_;
  VariablePtr gamma_, beta_;
};

}  // namespace tanuki
