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
// 1 where the gate passes at value b (the clamped affine map's value,
// computed as affineRows computes it, lies in [lo, hi)), else 0: a factor
// that multiplies dy, as ReLU's gradient does. Branch-free, so the loops
// vectorize: a branch on the gate (about every other value clamped) is
// mispredicted half the time.
inline float passFactor(float b, float scale, float shift, float lo, float hi) {
  const float v = b * scale + shift;
  return static_cast<float>((v >= lo) & (v < hi));
}
}  // namespace

void channelSums(const float* a, const float* b, const float* shift, int64_t rows, int64_t C, double* sumA,
                 double* sumAB, const ClampGate* gate) {
  std::vector<double> both(static_cast<size_t>(2 * C));
  const std::vector<float> zeros(shift ? 0 : static_cast<size_t>(C), 0.0f);
  const float* __restrict m = shift ? shift : zeros.data();
  if (gate) {
    const float* __restrict gs = gate->scale;
    const float* __restrict gt = gate->shift;
    const float lo = gate->lo, hi = gate->hi;
    sumRows(rows, 2 * C, both.data(), [&](int64_t r0, int64_t r1, float* __restrict acc) {
      float* __restrict accAB = acc + C;
      for (int64_t r = r0; r < r1; ++r) {
        const float* __restrict ar = a + r * C;
        const float* __restrict br = b + r * C;
        for (int64_t c = 0; c < C; ++c) {
          const float g = passFactor(br[c], gs[c], gt[c], lo, hi) * ar[c];
          acc[c] += g;
          accAB[c] += g * (br[c] - m[c]);
        }
      }
    });
  } else {
    sumRows(rows, 2 * C, both.data(), [&](int64_t r0, int64_t r1, float* __restrict acc) {
      float* __restrict accAB = acc + C;
      for (int64_t r = r0; r < r1; ++r) {
        const float* __restrict ar = a + r * C;
        const float* __restrict br = b + r * C;
        for (int64_t c = 0; c < C; ++c) {
          acc[c] += ar[c];
          accAB[c] += ar[c] * (br[c] - m[c]);
        }
      }
    });
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
  const float* __restrict m = shift;
  const float* __restrict pp = p;
  const float* __restrict qq = q;
  const float* __restrict ss = s;
  forRows(rows, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* __restrict ar = a + r * C;
      const float* __restrict br = b + r * C;
      float* __restrict o = out + r * C;
      if (gate) {
        const float* __restrict gs = gate->scale;
        const float* __restrict gt = gate->shift;
        const float lo = gate->lo, hi = gate->hi;
        for (int64_t c = 0; c < C; ++c) {
          const float g = passFactor(br[c], gs[c], gt[c], lo, hi) * ar[c];
          o[c] = g * pp[c] + (br[c] - m[c]) * qq[c] + ss[c];
        }
      } else {
        for (int64_t c = 0; c < C; ++c) o[c] = ar[c] * pp[c] + (br[c] - m[c]) * qq[c] + ss[c];
      }
    }
  });
}

namespace {
constexpr Variant<BatchNormOps> kVariants[] = {
    {"batch_norm_f32_scalar", {channelMeanVariance, channelSums, affineRows, combineRows}},
};
}  // namespace

Variants<BatchNormOps> batchNormVariants() { return kVariants; }

}  // namespace tanuki::kernels
