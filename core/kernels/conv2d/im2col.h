// im2col: unrolls the sliding windows of one NHWC image into the rows of a
// matrix, so that a convolution becomes one GEMM with the kernel
// [kH, kW, C, F] viewed as a [kH * kW * C, F] matrix. col2im is its
// backward twin: it scatters (adds) window gradients back onto the image.
#pragma once

#include "kernels/common/conv_geometry.h"

namespace tanuki::kernels {

// x: [inH, inW, C] (one image of g); cols: [outH * outW, kH * kW * C], a row
// per output pixel, columns ordered (ky, kx, c). Padding reads as zeros.
void im2col(const float* x, const Conv2DGeometry& g, float* cols);

// dcols: [outH * outW, kH * kW * C]; dx: [inH, inW, C], added to (not
// overwritten); padding positions are dropped.
void col2im(const float* dcols, const Conv2DGeometry& g, float* dx);

}  // namespace tanuki::kernels
