#include "image/exif_orientation.h"

#include <cstring>

#include "image/jpeg_segments.h"

namespace tanuki {

namespace {
constexpr uint8_t kApp1 = 0xE1;
constexpr uint16_t kOrientationTag = 0x0112;
constexpr uint16_t kTypeShort = 3;

// A TIFF structure (the body of the Exif block) in either byte order.
class TiffReader {
 public:
  TiffReader(const uint8_t* data, size_t size, bool littleEndian) : data_(data), size_(size), little_(littleEndian) {}
  bool fits(size_t offset, size_t n) const { return offset <= size_ && n <= size_ - offset; }
  uint16_t u16(size_t at) const {
    return little_ ? static_cast<uint16_t>(data_[at] | data_[at + 1] << 8)
                   : static_cast<uint16_t>(data_[at] << 8 | data_[at + 1]);
  }
  uint32_t u32(size_t at) const {
    return little_ ? (uint32_t{u16(at + 2)} << 16) | u16(at) : (uint32_t{u16(at)} << 16) | u16(at + 2);
  }

 private:
  const uint8_t* data_;
  size_t size_;
  bool little_;
};

int orientationFromTiff(const uint8_t* tiff, size_t size) {
  if (size < 8) return 1;
  bool little;
  if (tiff[0] == 'I' && tiff[1] == 'I') {
    little = true;
  } else if (tiff[0] == 'M' && tiff[1] == 'M') {
    little = false;
  } else {
    return 1;
  }
  const TiffReader r(tiff, size, little);
  if (r.u16(2) != 42) return 1;
  const size_t ifd = r.u32(4);  // IFD0: the main image's tags
  if (!r.fits(ifd, 2)) return 1;
  const size_t entries = r.u16(ifd);
  for (size_t i = 0; i < entries; ++i) {
    const size_t entry = ifd + 2 + 12 * i;
    if (!r.fits(entry, 12)) return 1;
    if (r.u16(entry) != kOrientationTag) continue;
    if (r.u16(entry + 2) != kTypeShort || r.u32(entry + 4) != 1) return 1;
    const int value = r.u16(entry + 8);  // a single SHORT sits at the start of the value field
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}
}  // namespace

int readExifOrientation(const uint8_t* data, size_t size) {
  static const char kExifHeader[6] = {'E', 'x', 'i', 'f', 0, 0};
  for (const JpegSegment& s : jpegHeaderSegments(data, size)) {
    // APP1 also carries XMP; only the one that starts "Exif\0\0" counts.
    if (s.marker == kApp1 && s.length >= sizeof kExifHeader &&
        std::memcmp(s.payload, kExifHeader, sizeof kExifHeader) == 0)
      return orientationFromTiff(s.payload + sizeof kExifHeader, s.length - sizeof kExifHeader);
  }
  return 1;
}

Image applyExifOrientation(Image image, int orientation) {
  if (orientation < 2 || orientation > 8) return image;
  const int64_t w = image.width, h = image.height;
  const bool swaps = orientation >= 5;  // 5-8 turn by 90°: width and height trade places
  Image out{swaps ? h : w, swaps ? w : h, std::vector<uint8_t>(image.pixels.size())};
  for (int64_t oy = 0; oy < out.height; ++oy) {
    for (int64_t ox = 0; ox < out.width; ++ox) {
      int64_t sx = ox, sy = oy;  // the stored pixel shown at (ox, oy)
      switch (orientation) {
        case 2: sx = w - 1 - ox; break;
        case 3:
          sx = w - 1 - ox;
          sy = h - 1 - oy;
          break;
        case 4: sy = h - 1 - oy; break;
        case 5:
          sx = oy;
          sy = ox;
          break;
        case 6:
          sx = oy;
          sy = h - 1 - ox;
          break;
        case 7:
          sx = w - 1 - oy;
          sy = h - 1 - ox;
          break;
        case 8:
          sx = w - 1 - oy;
          sy = ox;
          break;
      }
      std::memcpy(&out.pixels[(oy * out.width + ox) * 3], &image.pixels[(sy * w + sx) * 3], 3);
    }
  }
  return out;
}

}  // namespace tanuki
