// What Add and Multiply share: two or more inputs of one rank whose shapes
// broadcast as in Keras (along each axis the sizes are equal or 1), combined
// element-wise into an output of the broadcast shape.
#pragma once

#include "layers/layer.h"

namespace tanuki {

class Merge : public Layer {
 public:
  using Layer::Layer;
  int inputCount() const override { return -1; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;

 protected:
  // Whether all inputs have one shape: the common case (residual
  // connections), which needs no broadcasting.
  static bool sameShapes(const std::vector<Tensor>& inputs);
};

}  // namespace tanuki
