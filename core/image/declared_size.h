// The size an image file declares in its header (PNG's IHDR, JPEG's SOF),
// read without decoding: the pixel budget is checked against it before the
// decoder allocates anything. stb_image's own header check cannot serve,
// as its failure reason is overwritten by its next format probe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace tanuki {

struct DeclaredSize {
  int64_t width;
  int64_t height;
};

// Empty when the header holds no readable size.
std::optional<DeclaredSize> pngDeclaredSize(const uint8_t* data, size_t size);
std::optional<DeclaredSize> jpegDeclaredSize(const uint8_t* data, size_t size);

}  // namespace tanuki
