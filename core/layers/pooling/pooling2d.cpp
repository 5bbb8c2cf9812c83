#include "layers/pooling/pooling2d.h"

#include "layers/convolutional/spatial_shape.h"

namespace tanuki {

Pooling2D::Pooling2D(const ConfigReader& config, const std::string& defaultName)
    : Layer(config, defaultName),
      poolSize_(readIntPair(config, "pool_size", {2, 2}, layerLabel(config, name()))),
      strides_(readIntPair(config, "strides", poolSize_, layerLabel(config, name()))),
      same_(readSamePadding(config, layerLabel(config, name()))) {
  requireChannelsLast(config, layerLabel(config, name()));
}

Shape Pooling2D::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  checkImageInput(*this, in, -1, false);
  return windowOutputShape(*this, in, poolSize_, strides_, same_, in[3]);
}

kernels::Conv2DGeometry Pooling2D::geometry(const Shape& input) const {
  return kernels::conv2DGeometry(input, poolSize_[0], poolSize_[1], strides_[0], strides_[1], same_);
}

Json Pooling2D::getConfig() const {
  Json c = Layer::getConfig();
  c["pool_size"] = pairToJson(poolSize_);
  c["padding"] = same_ ? "same" : "valid";
  c["strides"] = pairToJson(strides_);
  c["data_format"] = "channels_last";
  return c;
}

}  // namespace tanuki
