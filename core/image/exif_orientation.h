// EXIF orientation: cameras store pixels as the sensor saw them and record
// in the APP1 "Exif" block how to turn them upright (tag 0x0112, values 1-8).
// Browsers honour it, so a decoder that ignored it would train on photos
// lying on their side.
#pragma once

#include <cstddef>
#include <cstdint>

#include "image/image.h"

namespace tanuki {

// The orientation of a JPEG file; 1 (upright) when there is none or the
// EXIF block is malformed. Reads only inside the given bytes.
int readExifOrientation(const uint8_t* data, size_t size);

// The upright image for pixels stored with this orientation
// (2: mirrored, 3: rotated 180°, 6: needs 90° clockwise, 8: 90° counter-clockwise, ...).
Image applyExifOrientation(Image image, int orientation);

}  // namespace tanuki
