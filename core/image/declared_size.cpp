#include "image/declared_size.h"

#include <cstring>

#include "image/jpeg_segments.h"

namespace tanuki {

namespace {
uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// Start-of-frame markers (baseline, progressive, ...); C4, C8 and CC are not frames.
bool isFrameHeader(uint8_t marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}
}  // namespace

std::optional<DeclaredSize> pngDeclaredSize(const uint8_t* data, size_t size) {
  // Chunks after the 8-byte signature: length, type, data, CRC. IHDR comes
  // first, except in Apple's CgBI variant, which puts its own chunk before.
  size_t pos = 8;
  while (size >= 8 && pos <= size - 8) {
    const size_t length = be32(data + pos);
    if (std::memcmp(data + pos + 4, "IHDR", 4) == 0) {
      if (length < 8 || length > size - pos - 8) return std::nullopt;
      return DeclaredSize{be32(data + pos + 8), be32(data + pos + 12)};
    }
    if (length > size - pos - 8 || size - pos - 8 - length < 4) return std::nullopt;
    pos += 12 + length;
  }
  return std::nullopt;
}

std::optional<DeclaredSize> jpegDeclaredSize(const uint8_t* data, size_t size) {
  for (const JpegSegment& s : jpegHeaderSegments(data, size)) {
    if (!isFrameHeader(s.marker)) continue;
    if (s.length < 5) return std::nullopt;
    // precision (1 byte), height (2), width (2)
    return DeclaredSize{(int64_t{s.payload[3]} << 8) | s.payload[4], (int64_t{s.payload[1]} << 8) | s.payload[2]};
  }
  return std::nullopt;
}

}  // namespace tanuki
