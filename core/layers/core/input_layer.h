// InputLayer: the entry point of a functional model; holds the input shape
// (batch dimension first, -1 when unknown) and passes its input through.
#pragma once

#include "layers/layer.h"

namespace tanuki {

class InputLayer : public Layer {
 public:
  explicit InputLayer(const ConfigReader& config);
  std::string className() const override { return "InputLayer"; }
  const Shape& shape() const { return shape_; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  int inputCount() const override { return 0; }
  Json getConfig() const override;

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  Shape shape_;
};

}  // namespace tanuki
