// Crop boxes: which part of an image is resized into the tensor.
#pragma once

#include <cstdint>

namespace tanuki {

struct CropBox {
  int64_t top = 0;
  int64_t left = 0;
  int64_t height = 0;
  int64_t width = 0;
};

// The largest centred box with the target's aspect ratio, as Keras's
// crop_to_aspect_ratio: resizing it keeps proportions instead of squashing.
CropBox centerCropBox(int64_t height, int64_t width, int64_t targetHeight, int64_t targetWidth);

}  // namespace tanuki
