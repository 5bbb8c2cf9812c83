// What Add and Multiply share: two or more inputs of one shape, combined
// element-wise into an output of that shape.
#pragma once

#include "layers/layer.h"

namespace tanuki {

class Merge : public Layer {
 public:
  using Layer::Layer;
  int inputCount() const override { return -1; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
};

}  // namespace tanuki
