#include "image/image.h"

#include "util/errors.h"

namespace tanuki {

Image imageFromRgba(const uint8_t* rgba, int64_t width, int64_t height) {
  if (width <= 0 || height <= 0) fail<ValueError>("an image needs a positive size, got ", width, "x", height);
  Image image{width, height, std::vector<uint8_t>(static_cast<size_t>(width * height * 3))};
  const int64_t n = width * height;
  for (int64_t i = 0; i < n; ++i) {
    const unsigned a = rgba[i * 4 + 3];
    for (int c = 0; c < 3; ++c) {
      const unsigned v = rgba[i * 4 + c];
      image.pixels[i * 3 + c] = static_cast<uint8_t>((v * a + 255u * (255u - a) + 127u) / 255u);
    }
  }
  return image;
}

}  // namespace tanuki
