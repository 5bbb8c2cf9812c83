#include "kernels/conv2d/conv2d_reference.h"

#include <algorithm>
#include <vector>

#include "kernels/common/reference_loops.h"

namespace tanuki::kernels {

namespace {
// Calls product(x offset, y offset, kernel offset) for every term of every sum.
template <class Product>
void forEachProduct(const Conv2DGeometry& g, int64_t F, Product product) {
  const int64_t C = g.channels;
  forEachWindowTap(g, [&](int64_t out, int64_t in, int64_t tap) {
    for (int64_t c = 0; c < C; ++c)
      for (int64_t f = 0; f < F; ++f) product(in * C + c, out * F + f, (tap * C + c) * F + f);
  });
}
}  // namespace

void conv2dReference(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t filters, float* y,
                     const Epilogue& epilogue) {
  std::vector<double> sums(static_cast<size_t>(g.batch * g.outH * g.outW * filters), 0.0);
  forEachProduct(g, filters, [&](int64_t xi, int64_t yi, int64_t ki) { sums[yi] += double{x[xi]} * kernel[ki]; });
  for (size_t i = 0; i < sums.size(); ++i) {
    const float v = static_cast<float>(sums[i]) + (epilogue.bias ? epilogue.bias[i % filters] : 0.0f);
    y[i] = std::min(std::max(v, epilogue.lo), epilogue.hi);
  }
}

void conv2dBackwardInputReference(const float* dy, const float* kernel, const Conv2DGeometry& g, int64_t filters,
                                  float* dx) {
  std::vector<double> sums(static_cast<size_t>(g.batch * g.inH * g.inW * g.channels), 0.0);
  forEachProduct(g, filters, [&](int64_t xi, int64_t yi, int64_t ki) { sums[xi] += double{dy[yi]} * kernel[ki]; });
  storeSums(sums, dx);
}

void conv2dBackwardFilterReference(const float* x, const float* dy, const Conv2DGeometry& g, int64_t filters,
                                   float* dkernel) {
  std::vector<double> sums(static_cast<size_t>(g.kH * g.kW * g.channels * filters), 0.0);
  forEachProduct(g, filters, [&](int64_t xi, int64_t yi, int64_t ki) { sums[ki] += double{x[xi]} * dy[yi]; });
  storeSums(sums, dkernel);
}

}  // namespace tanuki::kernels
