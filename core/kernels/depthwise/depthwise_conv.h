// Depthwise 2D convolution on NHWC tensors: each input channel c is
// convolved with its own `multiplier` filters, giving output channels
// c * multiplier + m (TensorFlow's order).
//
// The fast path (multiplier 1, MobileNet's case) works pixel by pixel through
// an indirection table: for each output pixel, a pointer to the input pixel
// under every kernel tap, or to a row of zeros where the tap falls in the
// padding. The channel loop is then straight SIMD over contiguous memory,
// whatever the stride and padding. 3x3 kernels take a register-blocked
// kernel instead (depthwise_f32_3x3.h). Rows of the output are split over
// the thread pool. Other multipliers take plain loops
// (depthwise_any_multiplier.h). The variants are listed in variants.h.
#pragma once

#include "kernels/common/conv_geometry.h"
#include "kernels/common/epilogue.h"

namespace tanuki::kernels {

// x: [batch, inH, inW, C]; kernel: [kH, kW, C, multiplier];
// y: [batch, outH, outW, C * multiplier] (overwritten, epilogue applied).
void depthwiseConv2d(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t multiplier, float* y,
                     const Epilogue& epilogue = {});

// dy: [batch, outH, outW, C * multiplier]; kernel: [kH, kW, C, multiplier];
// dx: [batch, inH, inW, C] (overwritten).
void depthwiseConv2dBackwardInput(const float* dy, const float* kernel, const Conv2DGeometry& g, int64_t multiplier,
                                  float* dx);

// x: [batch, inH, inW, C]; dy: [batch, outH, outW, C * multiplier];
// dkernel: [kH, kW, C, multiplier] (overwritten).
void depthwiseConv2dBackwardFilter(const float* x, const float* dy, const Conv2DGeometry& g, int64_t multiplier,
                                   float* dkernel);

}  // namespace tanuki::kernels
