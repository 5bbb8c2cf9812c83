// Images: encoded bytes (JPEG/PNG) or raw RGBA pixels from a canvas, to
// float32 NHWC tensors. Bytes and pixels arrive as std::string (Embind
// copies a Uint8Array/Uint8ClampedArray/ArrayBuffer into one); the options
// as JSON: {"size": [h, w] | null, "crop": "center" | "none", "scale": s, "offset": o}.
#include "bind.h"
#include "image/decode.h"
#include "image/to_tensor.h"
#include "json_util.h"

namespace tanuki::bindings {

namespace {
ImageTensorOptions parseOptions(const std::string& text) {
  const Json j = parseJson(text, "image options");
  if (!j.is_object()) fail<ValueError>("image options must be an object, got ", text);
  ImageTensorOptions o;
  if (j.contains("size") && !j["size"].is_null()) {
    const Json& s = j["size"];
    if (!s.is_array() || s.size() != 2 || !s[0].is_number_integer() || !s[1].is_number_integer())
      fail<ValueError>("image option size must be [height, width] in pixels, got ", s.dump());
    o.height = s[0].get<int64_t>();
    o.width = s[1].get<int64_t>();
    if (o.height <= 0 || o.width <= 0) fail<ValueError>("image option size must be positive, got ", s.dump());
  }
  const std::string crop = j.value("crop", "none");
  if (crop != "center" && crop != "none") fail<ValueError>("image option crop must be 'center' or 'none', got '", crop, "'");
  o.centerCrop = crop == "center";
  for (const char* key : {"scale", "offset"}) {
    if (j.contains(key) && !j[key].is_number()) fail<ValueError>("image option ", key, " must be a number, got ", j[key].dump());
  }
  o.scale = j.value("scale", 1.0f);
  o.offset = j.value("offset", 0.0f);
  return o;
}

Image decodeBytes(const std::string& bytes) {
  return decodeImage(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

Image fromRgba(const std::string& rgba, int width, int height) {
  if (width <= 0 || height <= 0) fail<ValueError>("pixels need a positive size, got ", width, "x", height);
  if (rgba.size() != static_cast<size_t>(width) * static_cast<size_t>(height) * 4)
    fail<ValueError>("RGBA pixels of a ", width, "x", height, " image are ", int64_t{width} * height * 4, " bytes, got ",
                     rgba.size());
  return imageFromRgba(reinterpret_cast<const uint8_t*>(rgba.data()), width, height);
}
}  // namespace

EMSCRIPTEN_BINDINGS(tanuki_image) {
  bindFunction("decodeImage", [](const std::string& bytes, const std::string& options) {
    return imageToTensor(decodeBytes(bytes), parseOptions(options));
  });
  bindFunction("decodeImageIntoBatch",
               [](const std::string& bytes, const std::string& options, Tensor& batch, int index) {
                 writeImageToBatch(decodeBytes(bytes), parseOptions(options), batch, index);
               });
  bindFunction("imageFromPixels", [](const std::string& rgba, int width, int height, const std::string& options) {
    return imageToTensor(fromRgba(rgba, width, height), parseOptions(options));
  });
  bindFunction("imageFromPixelsIntoBatch", [](const std::string& rgba, int width, int height,
                                              const std::string& options, Tensor& batch, int index) {
    writeImageToBatch(fromRgba(rgba, width, height), parseOptions(options), batch, index);
  });
}

}  // namespace tanuki::bindings
