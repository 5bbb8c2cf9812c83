#include "layers/convolutional/spatial_shape.h"

#include "kernels/common/conv_geometry.h"
#include "util/errors.h"

namespace tanuki {

namespace {
[[noreturn]] void shapeFail(const Layer& layer, const std::string& what) {
  fail<ValueError>(layer.className(), " '", layer.name(), "': ", what);
}
}  // namespace

void checkImageInput(const Layer& layer, const Shape& in, int64_t channels, bool needChannels) {
  if (in.size() != 4)
    shapeFail(layer, "expects a 4D input [batch, height, width, channels], got shape " + shapeToString(in));
  if (needChannels && in[3] <= 0)
    shapeFail(layer, "the channel dimension must be known, got shape " + shapeToString(in));
  if (channels >= 0 && in[3] >= 0 && in[3] != channels)
    shapeFail(layer, "expects " + std::to_string(channels) + " input channels, got shape " + shapeToString(in));
}

Shape windowOutputShape(const Layer& layer, const Shape& in, const IntPair& window, const IntPair& strides, bool same,
                        int64_t outChannels) {
  Shape out{in[0], 0, 0, outChannels};
  for (int axis = 0; axis < 2; ++axis) {
    const int64_t size = in[1 + axis];
    const kernels::AxisWindow w = kernels::slideWindow(size, window[axis], strides[axis], same);
    if (w.out == 0 && same) shapeFail(layer, "input " + shapeToString(in) + " has an empty spatial dimension");
    if (w.out == 0)
      shapeFail(layer, "input " + shapeToString(in) + " is smaller than its " + std::to_string(window[0]) + "x" +
                           std::to_string(window[1]) + " window with 'valid' padding");
    out[1 + axis] = w.out;
  }
  return out;
}

}  // namespace tanuki
