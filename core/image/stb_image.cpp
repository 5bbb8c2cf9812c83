// The one compilation unit of stb_image: JPEG and PNG only, from memory only,
// with a per-side limit that refuses absurd headers (the pixel budget in
// decode.cpp is the finer check).
#include "image/decode.h"

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#define STBI_MAX_DIMENSIONS tanuki::kMaxImageSide

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb/stb_image.h>
#pragma GCC diagnostic pop
