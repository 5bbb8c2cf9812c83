#include "image/jpeg_segments.h"

namespace tanuki {

namespace {
constexpr uint8_t kSos = 0xDA;
constexpr uint8_t kEoi = 0xD9;

// Markers that stand alone, without a length: SOI, TEM, RST0-7.
bool standalone(uint8_t marker) { return marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7); }
}  // namespace

std::vector<JpegSegment> jpegHeaderSegments(const uint8_t* data, size_t size) {
  std::vector<JpegSegment> segments;
  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) return segments;
  size_t pos = 2;
  while (pos < size) {
    if (data[pos] != 0xFF) break;
    while (pos < size && data[pos] == 0xFF) ++pos;  // fill bytes
    if (pos >= size) break;
    const uint8_t marker = data[pos++];
    if (standalone(marker)) continue;
    if (marker == kEoi || size - pos < 2) break;
    const size_t length = (size_t{data[pos]} << 8) | data[pos + 1];
    if (length < 2 || length > size - pos) break;
    segments.push_back({marker, data + pos + 2, length - 2});
    pos += length;
    if (marker == kSos) break;
  }
  return segments;
}

bool jpegHasEndMarker(const uint8_t* data, size_t size) {
  const auto segments = jpegHeaderSegments(data, size);
  if (segments.empty() || segments.back().marker != kSos) return false;
  const size_t scanStart = static_cast<size_t>(segments.back().payload + segments.back().length - data);
  for (size_t i = size - 1; i > scanStart; --i)
    if (data[i] == kEoi && data[i - 1] == 0xFF) return true;
  return false;
}

}  // namespace tanuki
