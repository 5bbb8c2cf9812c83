#include "image/to_tensor.h"

#include <algorithm>
#include <cmath>

#include "image/crop.h"
#include "image/decode.h"
#include "image/resize.h"
#include "util/errors.h"

namespace tanuki {

namespace {
void render(const Image& image, const ImageTensorOptions& options, int64_t height, int64_t width, float* out) {
  const CropBox box = options.centerCrop ? centerCropBox(image.height, image.width, height, width)
                                         : CropBox{0, 0, image.height, image.width};
  resizeImage(image, box, height, width, out);
  // Clamped first: float rounding in the resampling must not push 255 past 1.0.
  const int64_t n = height * width * 3;
  for (int64_t i = 0; i < n; ++i) out[i] = std::clamp(out[i], 0.0f, 255.0f) * options.scale + options.offset;
}
}  // namespace

void ImageTensorOptions::validate() const {
  if ((height == 0) != (width == 0) || height < 0 || width < 0)
    fail<ValueError>("image size must be two positive integers [height, width], got [", height, ", ", width, "]");
  if (height * width > kMaxImagePixels)
    fail<ValueError>("image size ", height, "x", width, " is over the limit of ", kMaxImagePixels >> 20, " megapixels");
  if (!std::isfinite(scale) || !std::isfinite(offset))
    fail<ValueError>("image scale and offset must be finite numbers, got ", scale, " and ", offset);
}

Tensor imageToTensor(const Image& image, const ImageTensorOptions& options) {
  options.validate();
  const int64_t h = options.height ? options.height : image.height;
  const int64_t w = options.width ? options.width : image.width;
  Tensor out(Shape{1, h, w, 3});
  render(image, options, h, w, out.data());
  return out;
}

void writeImageToBatch(const Image& image, const ImageTensorOptions& options, Tensor& batch, int64_t index) {
  options.validate();
  if (batch.rank() != 4 || batch.dim(3) != 3)
    fail<ValueError>("an image batch must have shape [N, height, width, 3], got ", shapeToString(batch.shape()));
  const int64_t h = batch.dim(1), w = batch.dim(2);
  if (options.height && (options.height != h || options.width != w))
    fail<ValueError>("image size [", options.height, ", ", options.width, "] does not match the batch ",
                     shapeToString(batch.shape()));
  if (index < 0 || index >= batch.dim(0))
    fail<ValueError>("image index ", index, " is outside the batch ", shapeToString(batch.shape()));
  render(image, options, h, w, batch.data() + index * h * w * 3);
}

}  // namespace tanuki
