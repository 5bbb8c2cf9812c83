// The 3x3 depthwise convolution (multiplier 1), MobileNet's workhorse, with
// the 9 weights of 4 channels held in registers while the kernel slides
// along an output row: one load and one multiply-add per tap, no pointer
// table. Interior pixels run without bounds checks; padding rows read a row
// of zeros and edge columns check their taps.
#pragma once

#include "kernels/conv_geometry.h"
#include "kernels/epilogue.h"

namespace tanuki::kernels {

// Whether depthwise3x3 takes this case: a 3x3 kernel, multiplier 1, channels
// a multiple of 4, strides 1 or 2.
bool depthwise3x3Applies(const Conv2DGeometry& g, int64_t multiplier);

// x: [batch, inH, inW, C]; kernel: [3, 3, C]; y: [batch, outH, outW, C],
// overwritten with the epilogue applied.
void depthwise3x3(const float* x, const float* kernel, const Conv2DGeometry& g, float* y, const Epilogue& epilogue);

// The input gradient for stride 1: the same convolution of dy with the
// kernel turned by 180 degrees. dx: [batch, inH, inW, C] (overwritten).
void depthwise3x3BackwardInputStride1(const float* dy, const float* kernel, const Conv2DGeometry& g, float* dx);

}  // namespace tanuki::kernels
