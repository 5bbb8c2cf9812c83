#include "image/jpeg_huffman_check.h"

#include "util/errors.h"

namespace tanuki {

namespace {
// Reads tables as stb_image does: while any of the segment's declared length
// is left, even when a table's 17 header bytes run past it (stb reads them
// from what follows, and zeros past the end of the file).
void checkDht(const uint8_t* p, size_t length, size_t available) {
  size_t at = 0;
  while (at < length) {  // table class/id byte, then 16 counts
    size_t codes = 0;
    for (size_t i = 1; i <= 16 && at + i < available; ++i) codes += p[at + i];
    if (codes > 256) fail<FormatError>("corrupt JPEG data: a Huffman table declares ", codes, " codes (at most 256)");
    at += 17 + codes;
  }
}
}  // namespace

void checkJpegHuffmanTables(const uint8_t* data, size_t size) {
  // Walk every marker segment of the file, skipping entropy-coded data after
  // each scan (progressive files define tables between scans too).
  size_t at = 2;  // after SOI
  while (at + 4 <= size) {
    if (data[at] != 0xFF) {
      ++at;  // inside scan data: look for the next marker
      continue;
    }
    const uint8_t marker = data[at + 1];
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0x00 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      at += 2;  // stuffed byte or restart marker: still scan data
      continue;
    }
    if (marker == 0xD9) return;  // end of image
    const size_t length = (static_cast<size_t>(data[at + 2]) << 8) | data[at + 3];
    if (length < 2) return;  // the decoder reports the damage
    if (marker == 0xC4) checkDht(data + at + 4, length - 2, size - at - 4);
    if (at + 2 + length > size) return;
    at += 2 + length;
  }
}

}  // namespace tanuki
