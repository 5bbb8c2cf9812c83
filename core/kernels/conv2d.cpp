#include "kernels/conv2d.h"

#include <algorithm>
#include <vector>

#include "kernels/gemm.h"
#include "kernels/im2col.h"

namespace tanuki::kernels {

namespace {
// A 1x1 stride-1 window maps every input pixel to one output pixel.
bool isPointwise(const Conv2DGeometry& g) { return g.kH == 1 && g.kW == 1 && g.strideH == 1 && g.strideW == 1; }
}  // namespace

void conv2d(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t filters, float* y) {
  const int64_t C = g.channels;
  if (isPointwise(g)) {  // y[pixels, F] = x[pixels, C] · kernel[C, F]
    gemm(false, false, g.batch * g.inH * g.inW, filters, C, 1.0f, x, kernel, 0.0f, y);
    return;
  }
  const int64_t pixels = g.outH * g.outW, rowLen = g.kH * g.kW * C;
  std::vector<float> cols(static_cast<size_t>(pixels * rowLen));
  for (int64_t n = 0; n < g.batch; ++n) {
    im2col(x + n * g.inH * g.inW * C, g, cols.data());
    gemm(false, false, pixels, filters, rowLen, 1.0f, cols.data(), kernel, 0.0f, y + n * pixels * filters);
  }
}

void conv2dBackwardInput(const float* dy, const float* kernel, const Conv2DGeometry& g, int64_t filters, float* dx) {
  const int64_t C = g.channels;
  if (isPointwise(g)) {  // dx = dy · kernelᵀ
    gemm(false, true, g.batch * g.inH * g.inW, C, filters, 1.0f, dy, kernel, 0.0f, dx);
    return;
  }
  const int64_t pixels = g.outH * g.outW, rowLen = g.kH * g.kW * C, image = g.inH * g.inW * C;
  std::vector<float> dcols(static_cast<size_t>(pixels * rowLen));
  std::fill(dx, dx + g.batch * image, 0.0f);
  for (int64_t n = 0; n < g.batch; ++n) {
    gemm(false, true, pixels, rowLen, filters, 1.0f, dy + n * pixels * filters, kernel, 0.0f, dcols.data());
    col2im(dcols.data(), g, dx + n * image);
  }
}

void conv2dBackwardFilter(const float* x, const float* dy, const Conv2DGeometry& g, int64_t filters, float* dkernel) {
  const int64_t C = g.channels;
  if (isPointwise(g)) {  // dkernel = xᵀ · dy
    gemm(true, false, C, filters, g.batch * g.inH * g.inW, 1.0f, x, dy, 0.0f, dkernel);
    return;
  }
  const int64_t pixels = g.outH * g.outW, rowLen = g.kH * g.kW * C;
  std::vector<float> cols(static_cast<size_t>(pixels * rowLen));
  std::fill(dkernel, dkernel + rowLen * filters, 0.0f);
  for (int64_t n = 0; n < g.batch; ++n) {  // dkernel += colsᵀ · dy, image by image
    im2col(x + n * g.inH * g.inW * C, g, cols.data());
    gemm(true, false, rowLen, filters, pixels, 1.0f, cols.data(), dy + n * pixels * filters, 1.0f, dkernel);
  }
}

}  // namespace tanuki::kernels
