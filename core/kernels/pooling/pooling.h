// 2D max and average pooling on NHWC tensors, with their backward twins.
// Windows follow TensorFlow's 'same'/'valid' geometry (kH, kW = pool size);
// padding never takes part: a max is over the window's pixels inside the
// image, and an average divides by their count, as TensorFlow does.
#pragma once

#include <cstdint>

#include "kernels/common/conv_geometry.h"

namespace tanuki::kernels {

// x: [batch, inH, inW, C]; y: [batch, outH, outW, C] (overwritten);
// argmax: [batch, outH, outW, C], where each maximum was, as an offset within
// its image of x (inH * inW * C floats), for the backward pass; or null when
// no backward pass follows (inference), which lets the maxima be taken
// without a branch per value, several channels at a time.
void maxPool2d(const float* x, const Conv2DGeometry& g, float* y, int32_t* argmax);

// dy: [batch, outH, outW, C]; argmax: from maxPool2d; dx: [batch, inH, inW, C] (overwritten).
void maxPool2dBackward(const float* dy, const int32_t* argmax, const Conv2DGeometry& g, float* dx);

// x: [batch, inH, inW, C]; y: [batch, outH, outW, C] (overwritten).
void avgPool2d(const float* x, const Conv2DGeometry& g, float* y);

// dy: [batch, outH, outW, C]; dx: [batch, inH, inW, C] (overwritten).
void avgPool2dBackward(const float* dy, const Conv2DGeometry& g, float* dx);

}  // namespace tanuki::kernels
