// Regression: a JPEG whose Huffman table declares more than 256 codes (found
// by the image fuzzer) is refused before stb_image could write past its arrays.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "image/decode.h"
#include "image/jpeg_huffman_check.h"
#include "util/errors.h"

using namespace tanuki;

TEST_CASE("a JPEG Huffman table with more than 256 codes is a FormatError") {
  // The second file's bad table starts inside its segment but runs past it.
  for (const char* name : {"regression-dht-overflow.jpg", "regression-dht-overflow-2.jpg"}) {
    CAPTURE(name);
    std::ifstream file(std::string("tests/fuzz/corpus/image_decode/") + name, std::ios::binary);
    REQUIRE(file.good());
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    CHECK_THROWS_WITH_AS(checkJpegHuffmanTables(bytes.data(), bytes.size()),
                         doctest::Contains("Huffman table declares"), FormatError);
    CHECK_THROWS_AS(decodeImage(bytes.data(), bytes.size()), FormatError);
  }

  // A well-formed table (3 codes) passes: SOI, DHT with counts {1, 2, 0...}, EOI.
  std::vector<uint8_t> ok = {0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x16, 0x00, 1, 2, 0, 0, 0,    0,   0,
                             0,    0,    0,    0,    0,    0,    0,    0, 5, 6, 7, 0xFF, 0xD9};
  CHECK_NOTHROW(checkJpegHuffmanTables(ok.data(), ok.size()));
}
