// Checks every Huffman table (DHT segment) of a JPEG before stb_image sees
// it: the stb_image Debian ships trusts a table's 16 code counts, and a
// table declaring more than 256 codes writes past its arrays (found by the
// image fuzzer). Such a file is refused as corrupt.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tanuki {

// Throws FormatError naming the fault when a DHT segment declares more than
// 256 codes in one table; other damage is left to the decoder to report.
void checkJpegHuffmanTables(const uint8_t* data, size_t size);

}  // namespace tanuki
