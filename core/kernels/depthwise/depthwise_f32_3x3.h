// The 3x3 depthwise convolution (multiplier 1), MobileNet's workhorse, with
// the 9 weights of 4 channels held in registers while the kernel slides
// along an output row: one load and one multiply-add per tap, no pointer
// table. Interior pixels run without bounds checks; padding rows read a row
// of zeros and edge columns check their taps. Written once over F32x4
// (f32x4.h): a _scalar and a _wasmsimd variant.
#pragma once

#include "kernels/common/conv_geometry.h"
#include "kernels/common/epilogue.h"

namespace tanuki::kernels {

// Whether the 3x3 kernels take this case: a 3x3 kernel, multiplier 1,
// channels a multiple of 4, strides 1 or 2.
bool depthwise3x3Applies(const Conv2DGeometry& g, int64_t multiplier);

// x: [batch, inH, inW, C]; kernel: [3, 3, C]; y: [batch, outH, outW, C],
// overwritten with the epilogue applied.
using Depthwise3x3Kernel = void (*)(const float* x, const float* kernel, const Conv2DGeometry& g, float* y,
                                    const Epilogue& epilogue);
// The input gradient for stride 1 (padding at most 2): the same convolution
// of dy with the kernel turned by 180 degrees. dx: [batch, inH, inW, C] (overwritten).
using Depthwise3x3BackwardKernel = void (*)(const float* dy, const float* kernel, const Conv2DGeometry& g, float* dx);

void depthwise_f32_3x3_scalar(const float* x, const float* kernel, const Conv2DGeometry& g, float* y,
                              const Epilogue& epilogue);
void depthwise_f32_3x3_backward_input_scalar(const float* dy, const float* kernel, const Conv2DGeometry& g, float* dx);
#ifdef __wasm_simd128__
void depthwise_f32_3x3_wasmsimd(const float* x, const float* kernel, const Conv2DGeometry& g, float* y,
                                const Epilogue& epilogue);
void depthwise_f32_3x3_backward_input_wasmsimd(const float* dy, const float* kernel, const Conv2DGeometry& g,
                                               float* dx);
#endif
#ifdef __wasm_relaxed_simd__
void depthwise_f32_3x3_wasmrelaxed(const float* x, const float* kernel, const Conv2DGeometry& g, float* y,
                                   const Epilogue& epilogue);
void depthwise_f32_3x3_backward_input_wasmrelaxed(const float* dy, const float* kernel, const Conv2DGeometry& g,
                                                  float* dx);
#endif

}  // namespace tanuki::kernels
