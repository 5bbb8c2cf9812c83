// Images: encoded bytes (JPEG/PNG) or raw RGBA pixels from a canvas, to
// float32 NHWC tensors. Bytes and pixels arrive as std::string (Embind
// copies a Uint8Array/Uint8ClampedArray/ArrayBuffer into one); the options
// as JSON, read by the core (image/options_json.h).
#include "bind.h"
#include "image/decode.h"
#include "image/options_json.h"
#include "image/to_tensor.h"

namespace tanuki::bindings {

namespace {
Image decodeBytes(const std::string& bytes) {
  return decodeImage(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

Image fromRgba(const std::string& rgba, int width, int height) {
  if (width <= 0 || height <= 0) fail<ValueError>("pixels need a positive size, got ", width, "x", height);
  if (rgba.size() != static_cast<size_t>(width) * static_cast<size_t>(height) * 4)
    fail<ValueError>("RGBA pixels of a ", width, "x", height, " image are ", int64_t{width} * height * 4,
                     " bytes, got ", rgba.size());
  return imageFromRgba(reinterpret_cast<const uint8_t*>(rgba.data()), width, height);
}
}  // namespace

EMSCRIPTEN_BINDINGS(tanuki_image) {
  // Options checked before any image is read, so that a bad one is reported once, up front.
  bindFunction("checkImageOptions", [](const std::string& options) { imageTensorOptionsFromJson(options); });
  bindFunction("decodeImage", [](const std::string& bytes, const std::string& options) {
    return imageToTensor(decodeBytes(bytes), imageTensorOptionsFromJson(options));
  });
  bindFunction("decodeImageIntoBatch",
               [](const std::string& bytes, const std::string& options, Tensor& batch, int index) {
                 writeImageToBatch(decodeBytes(bytes), imageTensorOptionsFromJson(options), batch, index);
               });
  bindFunction("imageFromPixels", [](const std::string& rgba, int width, int height, const std::string& options) {
    return imageToTensor(fromRgba(rgba, width, height), imageTensorOptionsFromJson(options));
  });
  bindFunction("imageFromPixelsIntoBatch", [](const std::string& rgba, int width, int height,
                                              const std::string& options, Tensor& batch, int index) {
    writeImageToBatch(fromRgba(rgba, width, height), imageTensorOptionsFromJson(options), batch, index);
  });
}

}  // namespace tanuki::bindings
