#include "layers/convolutional/conv_window.h"

#include "layers/convolutional/spatial_shape.h"
#include "util/errors.h"

namespace tanuki {

ConvWindow::ConvWindow(const ConfigReader& config, const std::string& label)
    : size(readIntPair(config, "kernel_size", {0, 0}, label)),
      strides(readIntPair(config, "strides", {1, 1}, label)),
      same(readSamePadding(config, label)) {
  if (size[0] <= 0) fail<ValueError>(label, ": 'kernel_size' is required");
  requireChannelsLast(config, label);
  requireUndilated(config, label);
}

kernels::Conv2DGeometry ConvWindow::geometry(const Shape& x) const {
  return kernels::conv2DGeometry(x, size[0], size[1], strides[0], strides[1], same);
}

kernels::Conv2DGeometry ConvWindow::paddedGeometry(const Shape& x, const kernels::Padding2D& pad) const {
  if (same) fail<StateError>("a zero padding folds only into a convolution with 'valid' padding");
  return kernels::paddedConv2DGeometry(x, pad, size[0], size[1], strides[0], strides[1]);
}

Shape ConvWindow::outputShape(const Layer& layer, const Shape& in, int64_t outChannels) const {
  return windowOutputShape(layer, in, size, strides, same, outChannels);
}

void ConvWindow::writeConfig(Json& config) const {
  config["kernel_size"] = pairToJson(size);
  config["strides"] = pairToJson(strides);
  config["padding"] = same ? "same" : "valid";
  config["data_format"] = "channels_last";
  config["dilation_rate"] = pairToJson({1, 1});
}

}  // namespace tanuki
