// Depthwise 2D convolution on NHWC tensors: each input channel c is
// convolved with its own `multiplier` filters, giving output channels
// c * multiplier + m (TensorFlow's order). Direct loops with the channel loop
// innermost, so that it runs over contiguous memory and vectorizes.
#pragma once

#include "kernels/conv_geometry.h"

namespace tanuki::kernels {

// x: [batch, inH, inW, C]; kernel: [kH, kW, C, multiplier];
// y: [batch, outH, outW, C * multiplier] (overwritten).
void depthwiseConv2d(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t multiplier, float* y);

// dy: [batch, outH, outW, C * multiplier]; kernel: [kH, kW, C, multiplier];
// dx: [batch, inH, inW, C] (overwritten).
void depthwiseConv2dBackwardInput(const float* dy, const float* kernel, const Conv2DGeometry& g, int64_t multiplier,
                                  float* dx);

// x: [batch, inH, inW, C]; dy: [batch, outH, outW, C * multiplier];
// dkernel: [kH, kW, C, multiplier] (overwritten).
void depthwiseConv2dBackwardFilter(const float* x, const float* dy, const Conv2DGeometry& g, int64_t multiplier,
                                   float* dkernel);

}  // namespace tanuki::kernels
