#include "image/decode.h"

#include <stb/stb_image.h>

#include <cctype>
#include <climits>
#include <cstring>
#include <iomanip>
#include <memory>
#include <new>
#include <sstream>
#include <string>

#include "image/declared_size.h"
#include "image/exif_orientation.h"
#include "image/jpeg_huffman_check.h"
#include "image/jpeg_segments.h"
#include "util/errors.h"

namespace tanuki {

namespace {
bool startsWith(const uint8_t* data, size_t size, const char* magic, size_t n, size_t at = 0) {
  return size >= at + n && std::memcmp(data + at, magic, n) == 0;
}

bool isJpeg(const uint8_t* data, size_t size) { return startsWith(data, size, "\xFF\xD8\xFF", 3); }
bool isPng(const uint8_t* data, size_t size) { return startsWith(data, size, "\x89PNG\r\n\x1A\n", 8); }

// Names formats people commonly mistake for images this decoder reads.
const char* guessFormat(const uint8_t* data, size_t size) {
  if (startsWith(data, size, "GIF8", 4)) return "a GIF image";
  if (startsWith(data, size, "BM", 2)) return "a BMP image";
  if (startsWith(data, size, "RIFF", 4) && startsWith(data, size, "WEBP", 4, 8)) return "a WebP image";
  if (startsWith(data, size, "ftypheic", 8, 4) || startsWith(data, size, "ftypheix", 8, 4) ||
      startsWith(data, size, "ftypmif1", 8, 4))
    return "a HEIC image";
  if (startsWith(data, size, "ftypavif", 8, 4)) return "an AVIF image";
  if (startsWith(data, size, "II*\0", 4) || startsWith(data, size, "MM\0*", 4)) return "a TIFF image";
  if (startsWith(data, size, "%PDF", 4)) return "a PDF document";
  if (startsWith(data, size, "PK\x03\x04", 4)) return "a ZIP archive";
  if (startsWith(data, size, "<", 1)) return "HTML or XML text";
  return nullptr;
}

// "ff d8 00 12 (\"....\")": the first bytes in hex and as text.
std::string describeStart(const uint8_t* data, size_t size) {
  const size_t n = size < 8 ? size : 8;
  std::ostringstream hex, text;
  for (size_t i = 0; i < n; ++i) {
    hex << (i ? " " : "") << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(data[i]);
    text << (std::isprint(data[i]) ? static_cast<char>(data[i]) : '.');
  }
  std::string out = "it starts with bytes " + hex.str() + " (\"" + text.str() + "\")";
  if (const char* guess = guessFormat(data, size)) out += std::string(", which looks like ") + guess;
  return out;
}

[[noreturn]] void stbFailure(const char* format) {
  const char* reason = stbi_failure_reason();
  if (reason && std::strcmp(reason, "outofmem") == 0) failOutOfMemory();
  fail<FormatError>("corrupt or truncated ", format, " data (", reason ? reason : "unknown error", ")");
}
}  // namespace

Image decodeImage(const uint8_t* data, size_t size) {
  if (size == 0) fail<FormatError>("empty input: there are no image bytes to decode");
  const bool jpeg = isJpeg(data, size);
  if (!jpeg && !isPng(data, size)) fail<FormatError>("not a JPEG or PNG image: ", describeStart(data, size));
  const char* format = jpeg ? "JPEG" : "PNG";
  if (size > static_cast<size_t>(INT_MAX))
    fail<FormatError>(format, " data of ", size, " bytes is over the 2 GB limit");
  const int length = static_cast<int>(size);

  const auto declared = jpeg ? jpegDeclaredSize(data, size) : pngDeclaredSize(data, size);
  if (!declared) fail<FormatError>("corrupt or truncated ", format, " data: the header declares no image size");
  // Sides first: their product cannot overflow once each is within the limit.
  if (declared->width > kMaxImageSide || declared->height > kMaxImageSide ||
      declared->width * declared->height > kMaxImagePixels)
    fail<FormatError>(format, " declares ", declared->width, "x", declared->height,
                      " pixels, too large to decode (limits: ", kMaxImagePixels >> 20, " megapixels, ", kMaxImageSide,
                      " pixels a side)");
  const int64_t pixels = declared->width * declared->height;
  if (jpeg) checkJpegHuffmanTables(data, size);
  if (jpeg && !jpegHasEndMarker(data, size))
    fail<FormatError>("truncated JPEG data: the file ends before its end-of-image marker (", size, " bytes)");

  // PNGs always come out as RGBA so that every kind of transparency (alpha
  // channel, palette or colour-key tRNS) is composited the same way.
  const int wanted = jpeg ? 3 : 4;
  int width = 0, height = 0, channels = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> decoded(
      stbi_load_from_memory(data, length, &width, &height, &channels, wanted), stbi_image_free);
  if (!decoded) stbFailure(format);
  if (int64_t{width} * height != pixels)
    fail<FormatError>("corrupt ", format, " data: the header and the pixels disagree on the size");
  if (!jpeg) return imageFromRgba(decoded.get(), width, height);
  Image image{width, height, std::vector<uint8_t>(decoded.get(), decoded.get() + pixels * 3)};
  return applyExifOrientation(std::move(image), readExifOrientation(data, size));
}

}  // namespace tanuki
