#include "kernels/depthwise/depthwise_conv.h"

#include <algorithm>
#include <mutex>
#include <vector>

#include "kernels/common/vector_loops.h"
#include "kernels/depthwise/depthwise_any_multiplier.h"
#include "kernels/depthwise/depthwise_f32_3x3.h"
#include "kernels/depthwise/depthwise_f32_rowdot_scalar.h"
#include "kernels/depthwise/depthwise_f32_taps_scalar.h"
#include "kernels/depthwise/variants.h"
#include "util/thread_pool.h"

#ifdef __wasm_simd128__
#include "kernels/depthwise/depthwise_f32_rowdot_wasmsimd.h"
#include "kernels/depthwise/depthwise_f32_taps_wasmsimd.h"
#endif

namespace tanuki::kernels {

namespace {
using TapsKernel = void (*)(int64_t C, int taps, const float* const* in, const float* const* w, const Epilogue& ep,
                            float* out);
using RowDotKernel = void (*)(int64_t C, int64_t count, const float* x, int64_t xStride, const float* dy, float* acc);

// The fast paths keep a pointer per tap on the stack.
bool fastPath(const Conv2DGeometry& g, int64_t multiplier) { return multiplier == 1 && g.kH * g.kW <= 64; }

template <TapsKernel tapsKernel, Depthwise3x3Kernel conv3x3>
void forward(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t multiplier, float* y,
             const Epilogue& epilogue) {
  if (depthwise3x3Applies(g, multiplier)) return conv3x3(x, kernel, g, y, epilogue);
  if (!fastPath(g, multiplier)) return depthwiseConv2dAnyMultiplier(x, kernel, g, multiplier, y, epilogue);
  const int64_t C = g.channels;
  const std::vector<float> zeros(static_cast<size_t>(C), 0.0f);
  parallelFor(g.batch * g.outH, [&](int64_t r0, int64_t r1) {
    const float* in[64];
    const float* w[64];
    for (int64_t row = r0; row < r1; ++row) {
      const int64_t n = row / g.outH, oy = row % g.outH;
      for (int64_t ox = 0; ox < g.outW; ++ox) {
        int taps = 0;
        for (int64_t ky = 0; ky < g.kH; ++ky)
          for (int64_t kx = 0; kx < g.kW; ++kx) {
            const int64_t iy = oy * g.strideH - g.padTop + ky, ix = ox * g.strideW - g.padLeft + kx;
            const bool inside = iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW;
            in[taps] = inside ? x + ((n * g.inH + iy) * g.inW + ix) * C : zeros.data();
            w[taps++] = kernel + (ky * g.kW + kx) * C;
          }
        tapsKernel(C, taps, in, w, epilogue, y + (row * g.outW + ox) * C);
      }
    }
  });
}

template <TapsKernel tapsKernel, Depthwise3x3BackwardKernel conv3x3BackwardInput>
void backwardInput(const float* dy, const float* kernel, const Conv2DGeometry& g, int64_t multiplier, float* dx) {
  if (depthwise3x3Applies(g, multiplier) && g.strideH == 1 && g.padTop <= 2 && g.padLeft <= 2)
    return conv3x3BackwardInput(dy, kernel, g, dx);
  if (!fastPath(g, multiplier)) return depthwiseConv2dBackwardInputAnyMultiplier(dy, kernel, g, multiplier, dx);
  const int64_t C = g.channels;
  // Gathered per input pixel: the output pixels whose windows cover it, each
  // with the tap it was under; no two threads write the same pixel.
  parallelFor(g.batch * g.inH, [&](int64_t r0, int64_t r1) {
    const float* in[64];
    const float* w[64];
    for (int64_t row = r0; row < r1; ++row) {
      const int64_t n = row / g.inH, iy = row % g.inH;
      for (int64_t ix = 0; ix < g.inW; ++ix) {
        int taps = 0;
        for (int64_t ky = 0; ky < g.kH; ++ky) {
          const int64_t sy = iy + g.padTop - ky;
          if (sy < 0 || sy % g.strideH != 0 || sy / g.strideH >= g.outH) continue;
          for (int64_t kx = 0; kx < g.kW; ++kx) {
            const int64_t sx = ix + g.padLeft - kx;
            if (sx < 0 || sx % g.strideW != 0 || sx / g.strideW >= g.outW) continue;
            in[taps] = dy + ((n * g.outH + sy / g.strideH) * g.outW + sx / g.strideW) * C;
            w[taps++] = kernel + (ky * g.kW + kx) * C;
          }
        }
        tapsKernel(C, taps, in, w, Epilogue{}, dx + (row * g.inW + ix) * C);
      }
    }
  });
}

template <RowDotKernel rowDot, RowDotKernel rowDot3>
void backwardFilter(const float* x, const float* dy, const Conv2DGeometry& g, int64_t multiplier, float* dkernel) {
  if (!fastPath(g, multiplier)) return depthwiseConv2dBackwardFilterAnyMultiplier(x, dy, g, multiplier, dkernel);
  const int64_t C = g.channels, taps = g.kH * g.kW;
  std::fill(dkernel, dkernel + taps * C, 0.0f);
  std::mutex merge;
  // Each chunk of output rows sums into its own copy, added in at the end.
  parallelFor(g.batch * g.outH, [&](int64_t r0, int64_t r1) {
    std::vector<float> acc(static_cast<size_t>(taps * C), 0.0f);
    for (int64_t row = r0; row < r1; ++row) {
      const int64_t n = row / g.outH, oy = row % g.outH;
      const float* dyRow = dy + row * g.outW * C;
      for (int64_t ky = 0; ky < g.kH; ++ky) {
        const int64_t iy = oy * g.strideH - g.padTop + ky;
        if (iy < 0 || iy >= g.inH) continue;
        const float* xRow = x + (n * g.inH + iy) * g.inW * C;
        float* accRow = acc.data() + ky * g.kW * C;
        // Output columns whose tap kx lands inside the image.
        int64_t first[64], last[64];
        for (int64_t kx = 0; kx < g.kW; ++kx) {
          first[kx] = std::max<int64_t>(0, (g.padLeft - kx + g.strideW - 1) / g.strideW);
          const int64_t span = g.inW - 1 + g.padLeft - kx;
          last[kx] = span < 0 ? 0 : std::min(g.outW, span / g.strideW + 1);
        }
        // A 3-wide kernel row: the columns all three taps share at once.
        int64_t from = 0, to = 0;
        if (g.kW == 3) {
          from = std::max({first[0], first[1], first[2]});
          to = std::max(from, std::min({last[0], last[1], last[2]}));
          if (from < to)
            rowDot3(C, to - from, xRow + (from * g.strideW - g.padLeft) * C, g.strideW * C, dyRow + from * C, accRow);
        }
        for (int64_t kx = 0; kx < g.kW; ++kx) {
          // The columns [first, last) of tap kx outside [from, to).
          const int64_t parts[2][2] = {{first[kx], std::min(last[kx], from)}, {std::max(first[kx], to), last[kx]}};
          for (const auto& [p0, p1] : parts) {
            if (p0 >= p1) continue;
            const float* xp = xRow + (p0 * g.strideW - g.padLeft + kx) * C;
            rowDot(C, p1 - p0, xp, g.strideW * C, dyRow + p0 * C, accRow + kx * C);
          }
        }
      }
    }
    std::lock_guard<std::mutex> lock(merge);
    scaleAdd(dkernel, acc.data(), 1.0f, taps * C);
  });
}

// The one place that picks the micro-kernels: the first entry is what the
// public functions run.
constexpr Variant<DepthwiseOps> kVariants[] = {
#ifdef __wasm_relaxed_simd__
    {"depthwise_f32_wasmrelaxed",
     {forward<depthwise_f32_taps_wasmrelaxed, depthwise_f32_3x3_wasmrelaxed>,
      backwardInput<depthwise_f32_taps_wasmrelaxed, depthwise_f32_3x3_backward_input_wasmrelaxed>,
      backwardFilter<depthwise_f32_rowdot_wasmrelaxed, depthwise_f32_rowdot3_wasmrelaxed>}},
#endif
#ifdef __wasm_simd128__
    {"depthwise_f32_wasmsimd",
     {forward<depthwise_f32_taps_wasmsimd, depthwise_f32_3x3_wasmsimd>,
      backwardInput<depthwise_f32_taps_wasmsimd, depthwise_f32_3x3_backward_input_wasmsimd>,
      backwardFilter<depthwise_f32_rowdot_wasmsimd, depthwise_f32_rowdot3_wasmsimd>}},
#endif
    {"depthwise_f32_scalar",
     {forward<depthwise_f32_taps_scalar, depthwise_f32_3x3_scalar>,
      backwardInput<depthwise_f32_taps_scalar, depthwise_f32_3x3_backward_input_scalar>,
      backwardFilter<depthwise_f32_rowdot_scalar, depthwise_f32_rowdot3_scalar>}},
};
}  // namespace

void depthwiseConv2d(const float* x, const float* kernel, const Conv2DGeometry& g, int64_t multiplier, float* y,
                     const Epilogue& epilogue) {
  kVariants[0].ops.forward(x, kernel, g, multiplier, y, epilogue);
}

void depthwiseConv2dBackwardInput(const float* dy, const float* kernel, const Conv2DGeometry& g, int64_t multiplier,
                                  float* dx) {
  kVariants[0].ops.backwardInput(dy, kernel, g, multiplier, dx);
}

void depthwiseConv2dBackwardFilter(const float* x, const float* dy, const Conv2DGeometry& g, int64_t multiplier,
                                   float* dkernel) {
  kVariants[0].ops.backwardFilter(x, dy, g, multiplier, dkernel);
}

Variants<DepthwiseOps> depthwiseVariants() { return kVariants; }

}  // namespace tanuki::kernels
