#include "kernels/batch_norm/batch_norm.h"

#include <algorithm>
#include <limits>
#include <map>
#include <mutex>
#include <vector>

#include "kernels/batch_norm/variants.h"
#include "util/thread_pool.h"

namespace tanuki::kernels {

namespace {
constexpr int64_t kRun = 32;  // rows summed in float before the sum moves to double

// For each chunk of rows: body(r0, r1, acc) adds its rows' terms into the
// float accumulators acc[0..width); they reach total[0..width) in double.
template <class Body>
void sumRows(int64_t rows, int64_t width, double* total, Body body) {
  // Each chunk's sums are kept apart and added in chunk order, so a result
  // does not depend on which thread finished first.
  std::map<int64_t, std::vector<double>> chunks;
  std::mutex guard;
  parallelFor((rows + kRun - 1) / kRun, [&](int64_t b0, int64_t b1) {
    std::vector<float> acc(static_cast<size_t>(width));
    std::vector<double> local(static_cast<size_t>(width), 0.0);
    for (int64_t b = b0; b < b1; ++b) {
      std::fill(acc.begin(), acc.end(), 0.0f);
      body(b * kRun, std::min(rows, (b + 1) * kRun), acc.data());
      for (int64_t c = 0; c < width; ++c) local[c] += acc[c];
    }
    std::lock_guard<std::mutex> lock(guard);
    chunks[b0] = std::move(local);
  });
  std::fill(total, total + width, 0.0);
  for (const auto& [first, local] : chunks)
    for (int64_t c = 0; c < width; ++c) total[c] += local[c];
}

// body(r0, r1) over chunks of rows on the pool.
template <class Body>
void forRows(int64_t rows, Body body) {
  parallelFor((rows + kRun - 1) / kRun, [&](int64_t b0, int64_t b1) { body(b0 * kRun, std::min(rows, b1 * kRun)); });
}
}  // namespace

void channelMeanVariance(const float* x, int64_t rows, int64_t C, double* mean, double* var) {
  sumRows(rows, C, mean, [&](int64_t r0, int64_t r1, float* __restrict acc) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* __restrict row = x + r * C;
      for (int64_t c = 0; c < C; ++c) acc[c] += row[c];
    }
  });
  for (int64_t c = 0; c < C; ++c) mean[c] /= static_cast<double>(rows);
  std::vector<float> m(mean, mean + C);
  sumRows(rows, C, var, [&](int64_t r0, int64_t r1, float* __restrict acc) {
    const float* __restrict mu = m.data();
    for (int64_t r = r0; r < r1; ++r) {
      const float* __restrict row = x + r * C;
      for (int64_t c = 0; c < C; ++c) {
        const float d = row[c] - mu[c];
        acc[c] += d * d;
      }
    }
  });
  for (int64_t c = 0; c < C; ++c) var[c] /= static_cast<double>(rows);
}

namespace {
// a, or with a gate 0 where the gate does not pass for b: the clamped affine
// map's value b * scale[c] + shift[c], computed as affineRows computes it,
// lies outside [lo, hi). Written as a select, which vectorizes to a compare
// and a mask: no branch (about every other value is clamped, so a branch
// would be mispredicted half the time) and no conversion of the comparison
// to a float factor (a slow unsigned conversion in WebAssembly SIMD on x64).
// gs, gt, lo and hi are the gate's fields, copied into the loop's own
// restrict pointers and values (unused without a gate): read through the
// gate, they keep the loop from vectorizing.
template <bool kGated>
inline float gatedValue(float a, float b, const float* __restrict gs, const float* __restrict gt, float lo, float hi,
                        int64_t c) {
  if constexpr (kGated) {
    const float v = b * gs[c] + gt[c];
    return ((v >= lo) & (v < hi)) ? a : 0.0f;
  } else {
    return a;
  }
}

template <bool kGated>
void channelSumsWith(const float* a, const float* b, const float* m, int64_t rows, int64_t C, double* both,
                     const ClampGate* gate) {
  sumRows(rows, 2 * C, both, [&](int64_t r0, int64_t r1, float* __restrict acc) {
    float* __restrict accAB = acc + C;
    const float* __restrict mm = m;
    const float* __restrict gs = gate ? gate->scale : nullptr;
    const float* __restrict gt = gate ? gate->shift : nullptr;
    const float lo = gate ? gate->lo : 0.0f, hi = gate ? gate->hi : 0.0f;
    for (int64_t r = r0; r < r1; ++r) {
      const float* __restrict ar = a + r * C;
      const float* __restrict br = b + r * C;
      for (int64_t c = 0; c < C; ++c) {
        const float v = gatedValue<kGated>(ar[c], br[c], gs, gt, lo, hi, c);
        acc[c] += v;
        accAB[c] += v * (br[c] - mm[c]);
      }
    }
  });
}

template <bool kGated>
void combineRowsWith(const float* a, const float* b, const float* m, int64_t rows, int64_t C, const float* p,
                     const float* q, const float* s, float* out, const ClampGate* gate) {
  forRows(rows, [&](int64_t r0, int64_t r1) {
    const float* __restrict mm = m;
    const float* __restrict gs = gate ? gate->scale : nullptr;
    const float* __restrict gt = gate ? gate->shift : nullptr;
    const float lo = gate ? gate->lo : 0.0f, hi = gate ? gate->hi : 0.0f;
    const float* __restrict pp = p;
    const float* __restrict qq = q;
    const float* __restrict ss = s;
    for (int64_t r = r0; r < r1; ++r) {
      const float* __restrict ar = a + r * C;
      const float* __restrict br = b + r * C;
      float* __restrict o = out + r * C;
      for (int64_t c = 0; c < C; ++c)
        o[c] = gatedValue<kGated>(ar[c], br[c], gs, gt, lo, hi, c) * pp[c] + (br[c] - mm[c]) * qq[c] + ss[c];
    }
  });
}
}  // namespace

void channelSums(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, double* sumA,
                 double* sumAB, const ClampGate* gate) {
  std::vector<double> both(static_cast<size_t>(2 * C));
  const std::vector<float> zeros(shift ? 0 : static_cast<size_t>(C), 0.0f);
  const float* m = shift ? shift : zeros.data();
  if (gate) {
    channelSumsWith<true>(a, b, m, rows, C, both.data(), gate);
  } else {
    channelSumsWith<false>(a, b, m, rows, C, both.data(), nullptr);
  }
  std::copy(both.begin(), both.begin() + C, sumA);
  std::copy(both.begin() + C, both.end(), sumAB);
}

void affineRows(const float* x, int64_t rows, int64_t C, const float* scale, const float* shift, float* y, float lo,
                float hi) {
  const std::vector<float> zeros(shift ? 0 : static_cast<size_t>(C), 0.0f);
  const float* __restrict s = scale;
  const float* __restrict t = shift ? shift : zeros.data();
  const bool clamped = lo > -std::numeric_limits<float>::infinity() || hi < std::numeric_limits<float>::infinity();
  forRows(rows, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* __restrict in = x + r * C;
      float* __restrict out = y + r * C;
      if (clamped) {
        for (int64_t c = 0; c < C; ++c) out[c] = std::min(std::max(in[c] * s[c] + t[c], lo), hi);
      } else {
        for (int64_t c = 0; c < C; ++c) out[c] = in[c] * s[c] + t[c];
      }
    }
  });
}

void combineRows(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, const float* p,
                 const float* q, const float* s, float* out, const ClampGate* gate) {
  if (gate) {
    combineRowsWith<true>(a, b, shift, rows, C, p, q, s, out, gate);
  } else {
    combineRowsWith<false>(a, b, shift, rows, C, p, q, s, out, nullptr);
  }
}

namespace {
constexpr Variant<BatchNormOps> kVariants[] = {
    {"batch_norm_f32_scalar", {channelMeanVariance, channelSums, affineRows, combineRows}},
};
}  // namespace

Variants<BatchNormOps> batchNormVariants() { return kVariants; }

}  // namespace tanuki::kernels
