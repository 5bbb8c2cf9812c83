// Image decoding, EXIF orientation, resizing and the image -> tensor path,
// on images the tests encode themselves (stb_image_write, or PNG chunks
// assembled here for the kinds stb_image_write cannot produce).
#include <doctest/doctest.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb/stb_image_write.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "image/crop.h"
#include "image/decode.h"
#include "image/exif_orientation.h"
#include "image/to_tensor.h"
#include "util/errors.h"

using namespace tanuki;

namespace {
using Bytes = std::vector<uint8_t>;

Bytes encodePng(int w, int h, int comp, const Bytes& pixels) {
  int n = 0;
  unsigned char* png = stbi_write_png_to_mem(pixels.data(), w * comp, w, h, comp, &n);
  Bytes out(png, png + n);
  std::free(png);
  return out;
}

Bytes encodeJpeg(int w, int h, const Bytes& rgb) {
  Bytes out;
  stbi_write_jpg_to_func(
      [](void* ctx, void* data, int size) {
        auto* o = static_cast<Bytes*>(ctx);
        o->insert(o->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
      },
      &out, w, h, 3, rgb.data(), 95);
  return out;
}

void put32(Bytes& b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(v >> s));
}

uint32_t crc32(const uint8_t* data, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    c ^= data[i];
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
  }
  return ~c;
}

void chunk(Bytes& png, const char* type, const Bytes& data) {
  put32(png, static_cast<uint32_t>(data.size()));
  Bytes typed(type, type + 4);
  typed.insert(typed.end(), data.begin(), data.end());
  png.insert(png.end(), typed.begin(), typed.end());
  put32(png, crc32(typed.data(), typed.size()));
}

// A PNG from raw scanlines (filter byte 0 added here) with any IHDR and extra chunks before IDAT.
Bytes craftPng(uint32_t w, uint32_t h, uint8_t depth, uint8_t colorType, const Bytes& rows, size_t rowBytes,
               const std::vector<std::pair<const char*, Bytes>>& extra = {}) {
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  Bytes ihdr;
  put32(ihdr, w);
  put32(ihdr, h);
  ihdr.insert(ihdr.end(), {depth, colorType, 0, 0, 0});
  chunk(png, "IHDR", ihdr);
  for (const auto& [type, data] : extra) chunk(png, type, data);
  Bytes filtered;
  for (size_t i = 0; i < rows.size(); i += rowBytes) {
    filtered.push_back(0);
    filtered.insert(filtered.end(), rows.begin() + static_cast<long>(i),
                    rows.begin() + static_cast<long>(i + rowBytes));
  }
  int zlen = 0;
  unsigned char* z = stbi_zlib_compress(filtered.data(), static_cast<int>(filtered.size()), &zlen, 8);
  chunk(png, "IDAT", Bytes(z, z + zlen));
  std::free(z);
  chunk(png, "IEND", {});
  return png;
}

// The JPEG with an APP1 Exif block (one IFD0 entry: orientation) after SOI.
Bytes withExifOrientation(const Bytes& jpeg, uint16_t orientation, bool littleEndian) {
  Bytes tiff;
  auto u16 = [&](uint16_t v) {
    if (littleEndian) {
      tiff.insert(tiff.end(), {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8)});
    } else {
      tiff.insert(tiff.end(), {static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)});
    }
  };
  auto u32 = [&](uint32_t v) {
    if (littleEndian) {
      u16(static_cast<uint16_t>(v));
      u16(static_cast<uint16_t>(v >> 16));
    } else {
      u16(static_cast<uint16_t>(v >> 16));
      u16(static_cast<uint16_t>(v));
    }
  };
  const uint8_t order = littleEndian ? 'I' : 'M';
  tiff.insert(tiff.end(), {order, order});
  u16(42);
  u32(8);  // IFD0 right after the header
  u16(1);
  u16(0x0112);
  u16(3);
  u32(1);
  u16(orientation);
  u16(0);
  u32(0);  // no next IFD
  Bytes app1 = {'E', 'x', 'i', 'f', 0, 0};
  app1.insert(app1.end(), tiff.begin(), tiff.end());
  const size_t length = app1.size() + 2;
  Bytes out = {0xFF, 0xD8, 0xFF, 0xE1, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)};
  out.insert(out.end(), app1.begin(), app1.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

Image decode(const Bytes& b) { return decodeImage(b.data(), b.size()); }

std::string decodeError(const Bytes& b) {
  try {
    decode(b);
  } catch (const FormatError& e) {
    return e.what();
  }
  return "(no error)";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// 32 x 16: left half red, right half blue (big blocks survive JPEG).
Bytes halvesRgb(int w, int h) {
  Bytes rgb(static_cast<size_t>(w * h * 3));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint8_t* p = &rgb[static_cast<size_t>((y * w + x) * 3)];
      p[0] = x < w / 2 ? 220 : 20;
      p[1] = 20;
      p[2] = x < w / 2 ? 20 : 220;
    }
  return rgb;
}

const uint8_t* at(const Image& img, int64_t x, int64_t y) {
  return &img.pixels[static_cast<size_t>((y * img.width + x) * 3)];
}

Image imageOf(int64_t w, int64_t h, std::vector<uint8_t> rgb) { return Image{w, h, std::move(rgb)}; }
}  // namespace

TEST_CASE("PNG decodes losslessly to the pixels it was made from") {
  Bytes rgb(5 * 3 * 3);
  for (size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<uint8_t>(i * 17 % 256);
  const Image img = decode(encodePng(5, 3, 3, rgb));
  CHECK(img.width == 5);
  CHECK(img.height == 3);
  CHECK(img.pixels == rgb);
}

TEST_CASE("JPEG decodes to the right size and close to the original colours") {
  const Image img = decode(encodeJpeg(32, 16, halvesRgb(32, 16)));
  REQUIRE(img.width == 32);
  REQUIRE(img.height == 16);
  CHECK(at(img, 4, 8)[0] > 180);
  CHECK(at(img, 4, 8)[2] < 60);
  CHECK(at(img, 28, 8)[2] > 180);
}

TEST_CASE("grayscale, gray+alpha and RGBA PNGs come out as RGB, alpha composited on white") {
  const Image gray = decode(encodePng(2, 1, 1, {0, 200}));
  CHECK(gray.pixels == Bytes{0, 0, 0, 200, 200, 200});

  const Image grayAlpha = decode(encodePng(2, 1, 2, {0, 255, 0, 0}));
  CHECK(grayAlpha.pixels == Bytes{0, 0, 0, 255, 255, 255});

  const Image rgba = decode(encodePng(3, 1, 4, {10, 20, 30, 255, 10, 20, 30, 0, 0, 0, 0, 128}));
  CHECK(Bytes(rgba.pixels.begin(), rgba.pixels.begin() + 6) == Bytes{10, 20, 30, 255, 255, 255});
  CHECK(rgba.pixels[6] == 127);  // black at half opacity over white
}

TEST_CASE("palette PNGs (with tRNS transparency) and 16-bit PNGs are converted") {
  const Bytes palette = {255, 0, 0, 0, 255, 0, 0, 0, 255};
  const Bytes indexed = craftPng(3, 1, 8, 3, {0, 1, 2}, 3, {{"PLTE", palette}});
  CHECK(decode(indexed).pixels == Bytes{255, 0, 0, 0, 255, 0, 0, 0, 255});

  const Bytes transparent = craftPng(2, 1, 8, 3, {0, 1}, 2, {{"PLTE", palette}, {"tRNS", {0, 255}}});
  CHECK(decode(transparent).pixels == Bytes{255, 255, 255, 0, 255, 0});

  // 16-bit RGB: 0xABCD keeps its high byte.
  const Bytes deep = craftPng(1, 1, 16, 2, {0xAB, 0xCD, 0x12, 0x34, 0xFF, 0xFF}, 6);
  CHECK(decode(deep).pixels == Bytes{0xAB, 0x12, 0xFF});
}

TEST_CASE("EXIF orientation is read in both byte orders and ignored when absent") {
  const Bytes jpeg = encodeJpeg(8, 8, Bytes(8 * 8 * 3, 128));
  CHECK(readExifOrientation(jpeg.data(), jpeg.size()) == 1);
  for (uint16_t o = 1; o <= 8; ++o) {
    const Bytes le = withExifOrientation(jpeg, o, true), be = withExifOrientation(jpeg, o, false);
    CHECK(readExifOrientation(le.data(), le.size()) == o);
    CHECK(readExifOrientation(be.data(), be.size()) == o);
  }
  const Bytes bogus = withExifOrientation(jpeg, 77, false);
  CHECK(readExifOrientation(bogus.data(), bogus.size()) == 1);
  // Cut inside the Exif block: bounds checks, no crash, upright.
  for (size_t n = 0; n < 40; ++n) CHECK(readExifOrientation(bogus.data(), n) == 1);
}

TEST_CASE("the eight EXIF orientations turn the pixels upright") {
  // a b c
  // d e f   (one channel shown; all three carry the same value)
  auto make = [] {
    Bytes p;
    for (uint8_t v : {'a', 'b', 'c', 'd', 'e', 'f'}) p.insert(p.end(), {v, v, v});
    return imageOf(3, 2, p);
  };
  auto rows = [](const Image& img) {
    std::string s;
    for (int64_t y = 0; y < img.height; ++y) {
      for (int64_t x = 0; x < img.width; ++x) s += static_cast<char>(at(img, x, y)[0]);
      s += y + 1 < img.height ? "/" : "";
    }
    return s;
  };
  CHECK(rows(applyExifOrientation(make(), 1)) == "abc/def");
  CHECK(rows(applyExifOrientation(make(), 2)) == "cba/fed");
  CHECK(rows(applyExifOrientation(make(), 3)) == "fed/cba");
  CHECK(rows(applyExifOrientation(make(), 4)) == "def/abc");
  CHECK(rows(applyExifOrientation(make(), 5)) == "ad/be/cf");
  CHECK(rows(applyExifOrientation(make(), 6)) == "da/eb/fc");
  CHECK(rows(applyExifOrientation(make(), 7)) == "fc/eb/da");
  CHECK(rows(applyExifOrientation(make(), 8)) == "cf/be/ad");
}

TEST_CASE("a JPEG with EXIF orientation 6 decodes rotated 90 degrees clockwise") {
  const Bytes jpeg = withExifOrientation(encodeJpeg(32, 16, halvesRgb(32, 16)), 6, false);
  const Image img = decode(jpeg);
  REQUIRE(img.width == 16);
  REQUIRE(img.height == 32);
  // The stored left half (red) is now the top half.
  CHECK(at(img, 8, 4)[0] > 180);
  CHECK(at(img, 8, 4)[2] < 60);
  CHECK(at(img, 8, 28)[2] > 180);
  CHECK(at(img, 8, 28)[0] < 60);
}

TEST_CASE("bad input is refused with a FormatError that says why") {
  CHECK(contains(decodeError({}), "empty input"));

  const std::string garbage = decodeError(Bytes{'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'});
  CHECK(contains(garbage, "not a JPEG or PNG"));
  CHECK(contains(garbage, "68 65 6c 6c 6f"));
  CHECK(contains(garbage, "\"hello wo\""));
  CHECK(contains(decodeError(Bytes{'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0}), "looks like a GIF image"));

  const Bytes png = encodePng(16, 16, 3, Bytes(16 * 16 * 3, 90));
  const std::string cutPng = decodeError(Bytes(png.begin(), png.begin() + static_cast<long>(png.size() / 2)));
  CHECK(contains(cutPng, "corrupt or truncated PNG"));
  CHECK(contains(decodeError(Bytes(png.begin(), png.begin() + 20)), "PNG"));

  const Bytes jpeg = encodeJpeg(32, 32, halvesRgb(32, 32));
  CHECK(contains(decodeError(Bytes(jpeg.begin(), jpeg.end() - 40)), "truncated JPEG"));
  CHECK(contains(decodeError(Bytes(jpeg.begin(), jpeg.begin() + 8)), "JPEG"));
}

TEST_CASE("images declaring a huge size are refused before any pixel is allocated") {
  const std::string bomb = decodeError(craftPng(50000, 50000, 8, 2, Bytes(3), 3));
  CHECK(contains(bomb, "PNG declares 50000x50000 pixels, too large"));
  const std::string over = decodeError(craftPng(10000, 8000, 8, 2, Bytes(3), 3));
  CHECK(contains(over, "10000x8000"));
  CHECK(contains(over, "64 megapixels"));

  // A JPEG whose frame header (SOF0) claims 9000 x 9000.
  Bytes jpeg = encodeJpeg(8, 8, Bytes(8 * 8 * 3, 50));
  for (size_t i = 0; i + 8 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
      jpeg[i + 5] = jpeg[i + 7] = 9000 >> 8;
      jpeg[i + 6] = jpeg[i + 8] = 9000 & 0xFF;
      break;
    }
  }
  CHECK(contains(decodeError(jpeg), "JPEG declares 9000x9000 pixels, too large"));
}

TEST_CASE("resizing keeps a constant image constant, shrinking or enlarging") {
  const Image flat = imageOf(7, 5, Bytes(7 * 5 * 3, 200));
  for (auto [h, w] : {std::pair<int64_t, int64_t>{2, 3}, {13, 11}, {5, 7}, {1, 1}}) {
    ImageTensorOptions o;
    o.height = h;
    o.width = w;
    const Tensor t = imageToTensor(flat, o);
    CHECK(t.shape() == Shape{1, h, w, 3});
    for (int64_t i = 0; i < t.size(); ++i) CHECK(t[i] == 200);  // exactly: the weights sum to 1 in double
  }
}

TEST_CASE("shrinking 4x4 to 2x2 averages each 2x2 block") {
  Bytes p;
  for (int i = 0; i < 16; ++i) p.insert(p.end(), {static_cast<uint8_t>(i * 10), 0, 255});
  ImageTensorOptions o;
  o.height = 2;
  o.width = 2;
  const Tensor t = imageToTensor(imageOf(4, 4, p), o);
  // Blocks of values 0,10,40,50 / 20,30,60,70 / 80,90,120,130 / 100,110,140,150 (times 1).
  const float expected[4] = {25, 45, 105, 125};
  for (int i = 0; i < 4; ++i) {
    CHECK(t[i * 3] == doctest::Approx(expected[i]));
    CHECK(t[i * 3 + 1] == doctest::Approx(0));
    CHECK(t[i * 3 + 2] == doctest::Approx(255));
  }
}

TEST_CASE("enlarging interpolates bilinearly between pixel centres") {
  const Tensor t = [] {
    ImageTensorOptions o;
    o.height = 1;
    o.width = 4;
    return imageToTensor(imageOf(2, 1, {0, 0, 0, 100, 100, 100}), o);
  }();
  CHECK(t[0] == doctest::Approx(0));
  CHECK(t[3] == doctest::Approx(25));
  CHECK(t[6] == doctest::Approx(75));
  CHECK(t[9] == doctest::Approx(100));
}

TEST_CASE("centre crop keeps the middle at the target aspect ratio") {
  const CropBox wide = centerCropBox(4, 6, 2, 2);
  CHECK(wide.top == 0);
  CHECK(wide.left == 1);
  CHECK(wide.height == 4);
  CHECK(wide.width == 4);
  const CropBox tall = centerCropBox(10, 4, 1, 2);
  CHECK(tall.top == 4);
  CHECK(tall.height == 2);
  CHECK(tall.width == 4);

  // Columns 0..5 have values 0, 10, ..., 50; the crop drops columns 0 and 5.
  Bytes p;
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 6; ++x) p.insert(p.end(), {static_cast<uint8_t>(x * 10), 0, 0});
  ImageTensorOptions o;
  o.height = 2;
  o.width = 2;
  o.centerCrop = true;
  const Tensor t = imageToTensor(imageOf(6, 4, p), o);
  CHECK(t[0] == doctest::Approx(15));  // mean of columns 1 and 2
  CHECK(t[3] == doctest::Approx(35));  // mean of columns 3 and 4
}

TEST_CASE("scale and offset map 0..255 to the model's range") {
  ImageTensorOptions o;
  o.scale = 1 / 127.5f;
  o.offset = -1;
  const Tensor t = imageToTensor(imageOf(2, 1, {0, 0, 0, 255, 255, 255}), o);
  CHECK(t.shape() == Shape{1, 1, 2, 3});
  CHECK(t[0] == doctest::Approx(-1));
  CHECK(t[3] == doctest::Approx(1));
}

TEST_CASE("images are written into the rows of a batch") {
  Tensor batch(Shape{3, 2, 2, 3});
  ImageTensorOptions o;
  o.scale = 1 / 255.f;
  writeImageToBatch(imageOf(1, 1, {255, 255, 255}), o, batch, 1);
  for (int64_t i = 0; i < 12; ++i) CHECK(batch[i] == 0);
  for (int64_t i = 12; i < 24; ++i) CHECK(batch[i] == doctest::Approx(1));
  CHECK_THROWS_AS(writeImageToBatch(imageOf(1, 1, {0, 0, 0}), o, batch, 3), ValueError);
  o.height = 5;
  o.width = 5;
  CHECK_THROWS_AS(writeImageToBatch(imageOf(1, 1, {0, 0, 0}), o, batch, 0), ValueError);
  Tensor notImages(Shape{3, 4});
  CHECK_THROWS_AS(writeImageToBatch(imageOf(1, 1, {0, 0, 0}), ImageTensorOptions{}, notImages, 0), ValueError);
}

TEST_CASE("RGBA pixels from a canvas are composited on white") {
  const uint8_t rgba[8] = {0, 0, 0, 0, 10, 20, 30, 255};
  const Image img = imageFromRgba(rgba, 2, 1);
  CHECK(img.pixels == Bytes{255, 255, 255, 10, 20, 30});
  CHECK_THROWS_AS(imageFromRgba(rgba, 0, 1), ValueError);
}
