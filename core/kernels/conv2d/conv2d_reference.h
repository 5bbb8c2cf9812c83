// The 2D convolution's reference: direct loops over (pixel, tap, channel,
// filter) with double accumulators, the oracle its variants (and so im2col,
// col2im and the GEMM calls around them) are tested against; never run
// outside the tests. Same contracts as conv2d.h:
//   x: [batch, inH, inW, C]; kernel: [kH, kW, C, F];
//   y, dy: [batch, outH, outW, F]; dx: like x; dkernel: like kernel.
#pragma once

#include "kernels/common/conv_geometry.h"
#include "kernels/common/epilogue.h"

namespace tanuki::kernels {

void conv2dReference(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t filters, float* y,
                     const Epilogue& epilogue = {});
void conv2dBackwardInputReference(const float* dy, const float* kernel, const Conv2DGeometry& g, int64_t filters,
                                  float* dx);
void conv2dBackwardFilterReference(const float* x, const float* dy, const Conv2DGeometry& g, int64_t filters,
                                   float* dkernel);

}  // namespace tanuki::kernels
