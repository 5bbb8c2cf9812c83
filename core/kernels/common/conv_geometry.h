// How a 2D window (a kernel or a pool) slides over an NHWC input, with
// TensorFlow's padding rules, which pretrained Keras models depend on:
//   'valid': no padding, out = floor((in - k) / stride) + 1 (0 when in < k);
//   'same':  out = ceil(in / stride),
//            pad_total = max((out - 1) * stride + k - in, 0),
//            pad_before = floor(pad_total / 2), the rest after.
// With an even input and stride 2, 'same' pads more after than before.
#pragma once

#include <cstdint>

#include "tensor/tensor.h"

namespace tanuki::kernels {

struct AxisWindow {
  int64_t out = 0;  // -1 when the input size is unknown (-1)
  int64_t padBefore = 0, padAfter = 0;
};

AxisWindow slideWindow(int64_t in, int64_t k, int64_t stride, bool same);

struct Conv2DGeometry {
  int64_t batch = 0, inH = 0, inW = 0, channels = 0;  // input [batch, inH, inW, channels]
  int64_t kH = 1, kW = 1, strideH = 1, strideW = 1;
  int64_t padTop = 0, padLeft = 0;  // bottom/right padding is implied by outH/outW
  int64_t outH = 0, outW = 0;       // output [batch, outH, outW, ...]
};

// input: [batch, H, W, C], all known.
Conv2DGeometry conv2DGeometry(const Shape& input, int64_t kH, int64_t kW, int64_t strideH, int64_t strideW, bool same);

// Zero rows and columns around an image, as ZeroPadding2D adds them.
struct Padding2D {
  int64_t top = 0, bottom = 0, left = 0, right = 0;
};

// A 'valid' convolution of the input padded by `pad`, with the padding left
// implicit (the kernels treat taps outside the input as zeros), so the padded
// copy is never made.
Conv2DGeometry paddedConv2DGeometry(const Shape& input, const Padding2D& pad, int64_t kH, int64_t kW, int64_t strideH,
                                    int64_t strideW);

}  // namespace tanuki::kernels
