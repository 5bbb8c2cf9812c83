#include "kernels/common/conv_geometry.h"

#include <algorithm>

namespace tanuki::kernels {

AxisWindow slideWindow(int64_t in, int64_t k, int64_t stride, bool same) {
  if (in < 0) return {-1, 0, 0};
  if (!same) return {in >= k ? (in - k) / stride + 1 : 0, 0, 0};
  const int64_t out = (in + stride - 1) / stride;
  const int64_t total = std::max<int64_t>((out - 1) * stride + k - in, 0);
  return {out, total / 2, total - total / 2};
}

Conv2DGeometry conv2DGeometry(const Shape& input, int64_t kH, int64_t kW, int64_t strideH, int64_t strideW, bool same) {
  Conv2DGeometry g;
  g.batch = input[0];
  g.inH = input[1];
  g.inW = input[2];
  g.channels = input[3];
  g.kH = kH;
  g.kW = kW;
  g.strideH = strideH;
  g.strideW = strideW;
  const AxisWindow h = slideWindow(g.inH, kH, strideH, same);
  const AxisWindow w = slideWindow(g.inW, kW, strideW, same);
  g.outH = h.out;
  g.outW = w.out;
  g.padTop = h.padBefore;
  g.padLeft = w.padBefore;
  return g;
}

Conv2DGeometry paddedConv2DGeometry(const Shape& input, const Padding2D& pad, int64_t kH, int64_t kW, int64_t strideH,
                                    int64_t strideW) {
  const Shape padded{input[0], input[1] + pad.top + pad.bottom, input[2] + pad.left + pad.right, input[3]};
  Conv2DGeometry g = conv2DGeometry(padded, kH, kW, strideH, strideW, false);
  g.inH = input[1];
  g.inW = input[2];
  g.padTop = pad.top;
  g.padLeft = pad.left;
  return g;
}

}  // namespace tanuki::kernels
