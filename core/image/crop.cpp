#include "image/crop.h"

#include <algorithm>

namespace tanuki {

CropBox centerCropBox(int64_t height, int64_t width, int64_t targetHeight, int64_t targetWidth) {
  // Integer arithmetic: the same box on every platform.
  const int64_t h = std::clamp<int64_t>(width * targetHeight / targetWidth, 1, height);
  const int64_t w = std::clamp<int64_t>(height * targetWidth / targetHeight, 1, width);
  return {(height - h) / 2, (width - w) / 2, h, w};
}

}  // namespace tanuki
