// What the reference kernels are written with (never the fast paths): the
// plainest loop over a sliding window's (output pixel, tap) pairs, so that a
// reference reads as the definition it checks, and sums kept in double.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels/common/conv_geometry.h"

namespace tanuki::kernels {

// Calls visit(outPixel, inPixel, tap) for every output pixel and every tap of
// its window whose input pixel lies inside the image (padding takes no part),
// taps in (ky, kx) order: outPixel = (n * outH + oy) * outW + ox,
// inPixel = (n * inH + iy) * inW + ix, tap = ky * kW + kx.
template <class Visit>
void forEachWindowTap(const Conv2DGeometry& g, Visit visit) {
  for (int64_t n = 0; n < g.batch; ++n)
    for (int64_t oy = 0; oy < g.outH; ++oy)
      for (int64_t ox = 0; ox < g.outW; ++ox)
        for (int64_t ky = 0; ky < g.kH; ++ky)
          for (int64_t kx = 0; kx < g.kW; ++kx) {
            const int64_t iy = oy * g.strideH - g.padTop + ky, ix = ox * g.strideW - g.padLeft + kx;
            if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) continue;
            visit((n * g.outH + oy) * g.outW + ox, (n * g.inH + iy) * g.inW + ix, ky * g.kW + kx);
          }
}

// out[i] = sums[i], rounded once to float.
inline void storeSums(const std::vector<double>& sums, float* out) {
  std::transform(sums.begin(), sums.end(), out, [](double v) { return static_cast<float>(v); });
}

}  // namespace tanuki::kernels
