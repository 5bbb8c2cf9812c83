// The depthwise convolution's reference: direct loops over (pixel, tap,
// channel, multiplier) with double accumulators, the oracle every variant is
// tested against (never run outside the tests). Same contracts as
// depthwise_conv.h:
//   x: [batch, inH, inW, C]; kernel: [kH, kW, C, M];
//   y, dy: [batch, outH, outW, C * M]; dx: like x; dkernel: like kernel.
#pragma once

#include "kernels/common/conv_geometry.h"
#include "kernels/common/epilogue.h"

namespace tanuki::kernels {

void depthwiseConv2dReference(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t multiplier,
                              float* y, const Epilogue& epilogue = {});
void depthwiseConv2dBackwardInputReference(const float* dy, const float* kernel, const Conv2DGeometry& g,
                                           int64_t multiplier, float* dx);
void depthwiseConv2dBackwardFilterReference(const float* x, const float* dy, const Conv2DGeometry& g,
                                            int64_t multiplier, float* dkernel);

}  // namespace tanuki::kernels
