#include "kernels/conv2d/conv2d.h"

#include <algorithm>
#include <vector>

#include "kernels/conv2d/im2col.h"
#include "kernels/conv2d/variants.h"
#include "kernels/gemm/gemm.h"
#include "util/thread_pool.h"

namespace tanuki::kernels {

namespace {
// A 1x1 stride-1 window without padding maps every input pixel to one
// output pixel (implicit padding, as paddedConv2DGeometry gives, adds zero
// pixels around the output: im2col writes those).
bool isPointwise(const Conv2DGeometry& g) {
  return g.kH == 1 && g.kW == 1 && g.strideH == 1 && g.strideW == 1 && g.outH == g.inH && g.outW == g.inW;
}

// Images are unrolled a group at a time, so that one GEMM covers several
// images while the scratch matrix stays within about 16 MB.
int64_t imagesPerGroup(const Conv2DGeometry& g) {
  const int64_t perImage = std::max<int64_t>(1, g.outH * g.outW * g.kH * g.kW * g.channels);
  return std::max<int64_t>(1, std::min(g.batch, (int64_t{4} << 20) / perImage));
}

// Unrolls images [n0, n0 + count) into cols, one image per task.
void im2colGroup(const float* x, const Conv2DGeometry& g, int64_t n0, int64_t count, float* cols) {
  const int64_t image = g.inH * g.inW * g.channels, rows = g.outH * g.outW * g.kH * g.kW * g.channels;
  parallelFor(count, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) im2col(x + (n0 + i) * image, g, cols + i * rows);
  });
}
}  // namespace

void conv2d(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t filters, float* y,
            const Epilogue& epilogue) {
  const int64_t C = g.channels;
  if (isPointwise(g)) {  // y[pixels, F] = x[pixels, C] · kernel[C, F]
    gemm(false, false, g.batch * g.inH * g.inW, filters, C, 1.0f, x, kernel, 0.0f, y, epilogue);
    return;
  }
  const int64_t pixels = g.outH * g.outW, rowLen = g.kH * g.kW * C, group = imagesPerGroup(g);
  std::vector<float> cols(static_cast<size_t>(group * pixels * rowLen));
  for (int64_t n = 0; n < g.batch; n += group) {
    const int64_t count = std::min(group, g.batch - n);
    im2colGroup(x, g, n, count, cols.data());
    gemm(false, false, count * pixels, filters, rowLen, 1.0f, cols.data(), kernel, 0.0f, y + n * pixels * filters,
         epilogue);
  }
}

void conv2dBackwardInput(const float* dy, const float* kernel, const Conv2DGeometry& g, int64_t filters, float* dx) {
  const int64_t C = g.channels;
  if (isPointwise(g)) {  // dx = dy · kernelᵀ
    gemm(false, true, g.batch * g.inH * g.inW, C, filters, 1.0f, dy, kernel, 0.0f, dx);
    return;
  }
  const int64_t pixels = g.outH * g.outW, rowLen = g.kH * g.kW * C, image = g.inH * g.inW * C;
  const int64_t group = imagesPerGroup(g);
  std::vector<float> dcols(static_cast<size_t>(group * pixels * rowLen));
  std::fill(dx, dx + g.batch * image, 0.0f);
  for (int64_t n = 0; n < g.batch; n += group) {
    const int64_t count = std::min(group, g.batch - n);
    gemm(false, true, count * pixels, rowLen, filters, 1.0f, dy + n * pixels * filters, kernel, 0.0f, dcols.data());
    parallelFor(count, [&](int64_t i0, int64_t i1) {
      for (int64_t i = i0; i < i1; ++i) col2im(dcols.data() + i * pixels * rowLen, g, dx + (n + i) * image);
    });
  }
}

void conv2dBackwardFilter(const float* x, const float* dy, const Conv2DGeometry& g, int64_t filters, float* dkernel) {
  const int64_t C = g.channels;
  if (isPointwise(g)) {  // dkernel = xᵀ · dy
    gemm(true, false, C, filters, g.batch * g.inH * g.inW, 1.0f, x, dy, 0.0f, dkernel);
    return;
  }
  const int64_t pixels = g.outH * g.outW, rowLen = g.kH * g.kW * C, group = imagesPerGroup(g);
  std::vector<float> cols(static_cast<size_t>(group * pixels * rowLen));
  std::fill(dkernel, dkernel + rowLen * filters, 0.0f);
  for (int64_t n = 0; n < g.batch; n += group) {  // dkernel += colsᵀ · dy, a group of images at a time
    const int64_t count = std::min(group, g.batch - n);
    im2colGroup(x, g, n, count, cols.data());
    gemm(true, false, rowLen, filters, count * pixels, 1.0f, cols.data(), dy + n * pixels * filters, 1.0f, dkernel);
  }
}

namespace {
constexpr Variant<Conv2DOps> kVariants[] = {
    {"conv2d_f32_im2col_gemm", {conv2d, conv2dBackwardInput, conv2dBackwardFilter}},
};
}  // namespace

Variants<Conv2DOps> conv2dVariants() { return kVariants; }

}  // namespace tanuki::kernels
