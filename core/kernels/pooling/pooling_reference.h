// The pooling kernels' reference: direct loops over each window's taps
// inside the image, averages summed in double; the oracle the variants are
// tested against (never run outside the tests). Same contracts as pooling.h:
//   x, dx: [batch, inH, inW, C]; y, dy, argmax: [batch, outH, outW, C].
#pragma once

#include <cstdint>

#include "kernels/common/conv_geometry.h"

namespace tanuki::kernels {

// A maximum is the window's first pixel (in (ky, kx) order) holding it.
void maxPool2dReference(const float* x, const Conv2DGeometry& g, float* y, int32_t* argmax);
// Each dy goes to its window's maximum, found again in x.
void maxPool2dBackwardReference(const float* x, const float* dy, const Conv2DGeometry& g, float* dx);
void avgPool2dReference(const float* x, const Conv2DGeometry& g, float* y);
void avgPool2dBackwardReference(const float* dy, const Conv2DGeometry& g, float* dx);

}  // namespace tanuki::kernels
