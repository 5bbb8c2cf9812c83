// Concatenate: joins two or more inputs along `axis` (default -1, the
// channels); every other dimension must match.
//   x_k: [..., d_k, ...] -> y: [..., Σ d_k, ...]
#pragma once

#include "layers/layer.h"

namespace tanuki {

class Concatenate : public Layer {
 public:
  explicit Concatenate(const ConfigReader& config);
  std::string className() const override { return "Concatenate"; }
  int inputCount() const override { return -1; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  // `axis_` as a non-negative axis of rank-`rank` inputs; throws for the batch axis.
  int64_t resolveAxis(size_t rank) const;
  int64_t axis_;
};

}  // namespace tanuki
