// Image: 8-bit RGB pixels, row-major, interleaved. Every decoded file or
// drawn canvas becomes one of these before it is resized into a tensor.
#pragma once

#include <cstdint>
#include <vector>

namespace tanuki {

struct Image {
  int64_t width = 0;
  int64_t height = 0;
  std::vector<uint8_t> pixels;  // height * width * 3
};

// RGBA (what canvases and transparent PNGs give) to RGB by compositing on
// white: a transparent pixel becomes white whatever colour it stores, as a
// browser shows it, instead of the arbitrary (often black) hidden colour.
Image imageFromRgba(const uint8_t* rgba, int64_t width, int64_t height);

}  // namespace tanuki
