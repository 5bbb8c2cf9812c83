#include "kernels/depthwise/depthwise_reference.h"

#include <algorithm>
#include <vector>

#include "kernels/common/reference_loops.h"

namespace tanuki::kernels {

namespace {
// Calls product(x offset, y offset, kernel offset) for every term of every sum.
template <class Product>
void forEachProduct(const Conv2DGeometry& g, int64_t M, Product product) {
  const int64_t C = g.channels;
  forEachWindowTap(g, [&](int64_t out, int64_t in, int64_t tap) {
    for (int64_t c = 0; c < C; ++c)
      for (int64_t m = 0; m < M; ++m) product(in * C + c, (out * C + c) * M + m, (tap * C + c) * M + m);
  });
}
}  // namespace

void depthwiseConv2dReference(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t multiplier,
                              float* y, const Epilogue& epilogue) {
  const int64_t outC = g.channels * multiplier;
  std::vector<double> sums(static_cast<size_t>(g.batch * g.outH * g.outW * outC), 0.0);
  forEachProduct(g, multiplier, [&](int64_t xi, int64_t yi, int64_t ki) { sums[yi] += double{x[xi]} * kernel[ki]; });
  for (size_t i = 0; i < sums.size(); ++i) {
    const float v = static_cast<float>(sums[i]) + (epilogue.bias ? epilogue.bias[i % outC] : 0.0f);
    y[i] = std::min(std::max(v, epilogue.lo), epilogue.hi);
  }
}

void depthwiseConv2dBackwardInputReference(const float* dy, const float* kernel, const Conv2DGeometry& g,
                                           int64_t multiplier, float* dx) {
  std::vector<double> sums(static_cast<size_t>(g.batch * g.inH * g.inW * g.channels), 0.0);
  forEachProduct(g, multiplier, [&](int64_t xi, int64_t yi, int64_t ki) { sums[xi] += double{dy[yi]} * kernel[ki]; });
  storeSums(sums, dx);
}

void depthwiseConv2dBackwardFilterReference(const float* x, const float* dy, const Conv2DGeometry& g,
                                            int64_t multiplier, float* dkernel) {
  std::vector<double> sums(static_cast<size_t>(g.kH * g.kW * g.channels * multiplier), 0.0);
  forEachProduct(g, multiplier, [&](int64_t xi, int64_t yi, int64_t ki) { sums[ki] += double{x[xi]} * dy[yi]; });
  storeSums(sums, dkernel);
}

}  // namespace tanuki::kernels
