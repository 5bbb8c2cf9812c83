// Decoding JPEG and PNG files to upright 8-bit RGB.
//
// Grayscale, palette, 16-bit and transparent PNGs are converted (alpha is
// composited on white, see image.h); JPEG EXIF orientation is applied. Every
// refusal is a FormatError saying why: empty input, another format (naming
// what the bytes look like), truncated or corrupt data, or a declared size
// over the pixel budget, which is checked from the header before anything
// is allocated so that a tiny file declaring a huge image costs nothing.
#pragma once

#include <cstddef>
#include <cstdint>

#include "image/image.h"

namespace tanuki {

// 64 megapixels (8192 x 8192): far above any photo a model is trained on,
// and at 4 bytes per pixel still a fraction of the WebAssembly heap.
constexpr int64_t kMaxImagePixels = int64_t{64} << 20;
// Longest side stb_image accepts (panoramas stay well within it).
constexpr int kMaxImageSide = 1 << 16;

Image decodeImage(const uint8_t* data, size_t size);

}  // namespace tanuki
