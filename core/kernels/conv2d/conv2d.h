// 2D convolution (cross-correlation, as TensorFlow computes it) on NHWC
// tensors, and its two backward twins. A 1x1, stride-1 convolution (most of
// MobileNet's compute) is a single GEMM over all pixels; any other one goes
// through im2col a group of images at a time, which bounds the scratch memory.
#pragma once

#include "kernels/common/conv_geometry.h"
#include "kernels/common/epilogue.h"

namespace tanuki::kernels {

// x: [batch, inH, inW, C]; kernel: [kH, kW, C, F]; y: [batch, outH, outW, F] (overwritten, epilogue applied).
void conv2d(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t filters, float* y,
            const Epilogue& epilogue = {});

// dy: [batch, outH, outW, F]; kernel: [kH, kW, C, F]; dx: [batch, inH, inW, C] (overwritten).
void conv2dBackwardInput(const float* dy, const float* kernel, const Conv2DGeometry& g, int64_t filters, float* dx);

// x: [batch, inH, inW, C]; dy: [batch, outH, outW, F]; dkernel: [kH, kW, C, F] (overwritten).
void conv2dBackwardFilter(const float* x, const float* dy, const Conv2DGeometry& g, int64_t filters, float* dkernel);

}  // namespace tanuki::kernels
