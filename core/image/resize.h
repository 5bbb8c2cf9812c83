// Resampling 8-bit RGB to float RGB of another size, one axis at a time.
// Along an axis that shrinks, each output pixel is the area-weighted mean of
// the source pixels it covers (every pixel counts: no aliasing, no moiré on
// fur or grass); along an axis that grows, bilinear interpolation with
// pixel centres aligned. Equal sizes copy exactly.
#pragma once

#include <cstdint>

#include "image/crop.h"
#include "image/image.h"

namespace tanuki {

// Resizes the `box` part of `image` to outHeight x outWidth and writes
// outHeight * outWidth * 3 floats (0-255) to `out`.
void resizeImage(const Image& image, const CropBox& box, int64_t outHeight, int64_t outWidth, float* out);

}  // namespace tanuki
