// The marker segments at the start of a JPEG file (APPn, DQT, SOF, ...,
// up to the first SOS), read without decoding: enough to find the EXIF
// block and to tell a complete file from a truncated one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tanuki {

struct JpegSegment {
  uint8_t marker;          // the byte after 0xFF: 0xE1 for APP1, 0xDA for SOS
  const uint8_t* payload;  // after the two length bytes
  size_t length;           // of the payload
};

// Segments in file order, ending with the first SOS when there is one.
// Stops quietly at anything malformed: the decoder reports that, not this.
std::vector<JpegSegment> jpegHeaderSegments(const uint8_t* data, size_t size);

// Whether the end-of-image marker (FF D9) follows the scan data. The
// entropy-coded data cannot contain FF D9, so its absence means the file
// was cut short.
bool jpegHasEndMarker(const uint8_t* data, size_t size);

}  // namespace tanuki
