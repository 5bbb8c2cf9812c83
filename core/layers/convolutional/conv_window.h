// The window a convolution slides over NHWC images: kernel size, strides and
// 'same'/'valid' padding, read from a Keras config with the checks every
// convolution layer makes (Conv2D, DepthwiseConv2D, SeparableConv2D), and
// written back to it.
#pragma once

#include "kernels/common/conv_geometry.h"
#include "layers/convolutional/conv_options.h"
#include "layers/layer.h"

namespace tanuki {

struct ConvWindow {
  // kernel_size (required), strides, padding; data_format must be
  // channels_last and dilation_rate and groups 1. `label` names the layer.
  ConvWindow(const ConfigReader& config, const std::string& label);

  // x: [batch, H, W, C]
  kernels::Conv2DGeometry geometry(const Shape& x) const;
  // The same for x zero-padded by `pad` first (only for 'valid' padding).
  kernels::Conv2DGeometry paddedGeometry(const Shape& x, const kernels::Padding2D& pad) const;
  // [batch, outH, outW, outChannels] for `in`, already checked to be an image.
  Shape outputShape(const Layer& layer, const Shape& in, int64_t outChannels) const;
  // kernel_size, strides, padding, data_format, dilation_rate.
  void writeConfig(Json& config) const;

  IntPair size, strides;
  bool same;
};

}  // namespace tanuki
