// The depthwise convolution for any multiplier and kernel size: direct loops
// over (pixel, tap, channel), float accumulators. The variants' drivers fall
// back to these for the cases their micro-kernels do not take (a multiplier
// other than 1, more than 64 taps). Same contracts as depthwise_conv.h.
#pragma once

#include "kernels/common/conv_geometry.h"
#include "kernels/common/epilogue.h"

namespace tanuki::kernels {

void depthwiseConv2dAnyMultiplier(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t multiplier,
                                  float* y, const Epilogue& epilogue);
void depthwiseConv2dBackwardInputAnyMultiplier(const float* dy, const float* kernel, const Conv2DGeometry& g,
                                               int64_t multiplier, float* dx);
void depthwiseConv2dBackwardFilterAnyMultiplier(const float* x, const float* dy, const Conv2DGeometry& g,
                                                int64_t multiplier, float* dkernel);

}  // namespace tanuki::kernels
