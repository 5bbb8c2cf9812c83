// The options and shapes MaxPooling2D and AveragePooling2D share: a
// pool_size window moved by `strides` (default: pool_size) over NHWC images
// with 'same' or 'valid' padding.
//   x: [batch, H, W, C] -> y: [batch, outH, outW, C]
#pragma once

#include "kernels/common/conv_geometry.h"
#include "layers/convolutional/conv_options.h"
#include "layers/layer.h"

namespace tanuki {

class Pooling2D : public Layer {
 public:
  Pooling2D(const ConfigReader& config, const std::string& defaultName);
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;

 protected:
  kernels::Conv2DGeometry geometry(const Shape& input) const;

 private:
  IntPair poolSize_, strides_;
  bool same_;
};

}  // namespace tanuki
