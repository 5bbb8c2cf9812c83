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
  kernels::Padding2D padding() const { return {top_, bottom_, left_, right_}; }

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  int64_t top_ = 1, bottom_ = 1, left_ = 1, right_ = 1;
};

}  // namespace tanuki
