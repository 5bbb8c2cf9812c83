#include "layers/pooling/global_pooling2d.h"

#include "layers/convolutional/conv_options.h"
#include "layers/convolutional/spatial_shape.h"

namespace tanuki {

GlobalPooling2D::GlobalPooling2D(const ConfigReader& config, const std::string& defaultName)
    : Layer(config, defaultName), keepdims_(config.getBool("keepdims", false)) {
  requireChannelsLast(config, layerLabel(config, name()));
}

Shape GlobalPooling2D::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  checkImageInput(*this, in, -1, false);
  if (in[1] == 0 || in[2] == 0) shapeError("cannot pool an empty image, got shape " + shapeToString(in));
  return outputShape(in[0], in[3]);
}

Shape GlobalPooling2D::outputShape(int64_t batch, int64_t channels) const {
  return keepdims_ ? Shape{batch, 1, 1, channels} : Shape{batch, channels};
}

Json GlobalPooling2D::getConfig() const {
  Json c = Layer::getConfig();
  c["data_format"] = "channels_last";
  c["keepdims"] = keepdims_;
  return c;
}

}  // namespace tanuki
