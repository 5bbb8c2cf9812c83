// ZeroPadding2D: adds rows and columns of zeros around NHWC images.
//   x: [batch, H, W, C] -> y: [batch, top + H + bottom, left + W + right, C]
// 'padding' is n, (rows, cols) or ((top, bottom), (left, right)), as in Keras.
#pragma once

#include "kernels/common/conv_geometry.h"
#include "layers/layer.h"

namespace tanuki {

class ZeroPadding2D : public Layer {
 public:
  explicit ZeroPadding2D(const ConfigReader& config);
  std::string className() const override { return "ZeroPadding2D"; }
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  Json getConfig() const override;
  const kernels::Padding2D* zeroPadding() const override { return &padding_; }

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  kernels::Padding2D padding_{1, 1, 1, 1};
};

}  // namespace tanuki
