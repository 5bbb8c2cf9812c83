// Kernel micro-benchmark: every variant of every op (core/kernels/<op>/
// variants.h) on the shapes MobileNetV2 gives it, the GEMM also against
// Eigen's. One JSON line per (kernel, variant, case). Run the WebAssembly
// build under Node (`node build/wasm/tanuki_kernels_bench.js [threads]`) or
// the native one (`build/native/tanuki_kernels_bench [threads]`).
// Each case is warmed up first: V8 compiles WebAssembly in tiers and only
// optimizes a function after it has run a few times.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "kernels/batch_norm/variants.h"
#include "kernels/conv2d/variants.h"
#include "kernels/depthwise/variants.h"
#include "kernels/gemm/gemm_eigen.h"
#include "kernels/gemm/variants.h"
#include "kernels/pooling/variants.h"
#include "util/thread_pool.h"

using namespace tanuki;
using namespace tanuki::kernels;

namespace {
// The fastest of several runs: the machine may be shared, and the minimum
// is the least disturbed measurement.
double secondsPerRun(const std::function<void()>& fn) {
  using Clock = std::chrono::steady_clock;
  for (int i = 0; i < 3; ++i) fn();
  double best = 1e30, total = 0;
  for (int runs = 0; total < 0.3 || runs < 5; ++runs) {
    const auto start = Clock::now();
    fn();
    const double t = std::chrono::duration<double>(Clock::now() - start).count();
    best = std::min(best, t);
    total += t;
  }
  return best;
}

// Work per second, in billions: `work` units (flops, multiply-adds, elements) per run.
double giga(double work, const std::function<void()>& fn) { return work / secondsPerRun(fn) * 1e-9; }

long long ll(int64_t v) { return static_cast<long long>(v); }

void gemmCase(const char* what, bool tA, bool tB, int64_t M, int64_t N, int64_t K) {
  std::vector<float> A(M * K, 0.5f), B(K * N, 0.25f), C(M * N);
  const double flops = 2.0 * M * N * K;
  auto report = [&](const char* variant, double gflops) {
    std::printf(
        "{\"kernel\":\"gemm\",\"variant\":\"%s\",\"case\":\"%s\",\"M\":%lld,\"N\":%lld,\"K\":%lld,"
        "\"gflops\":%.2f}\n",
        variant, what, ll(M), ll(N), ll(K), gflops);
  };
  for (const Variant<GemmOps>& v : gemmVariants())
    report(v.name, giga(flops, [&] { v.ops.gemm(tA, tB, M, N, K, 1.0f, A.data(), B.data(), 0.0f, C.data(), {}); }));
  report("eigen", giga(flops, [&] { gemmEigen(tA, tB, M, N, K, 1.0f, A.data(), B.data(), 0.0f, C.data()); }));
}

void depthwiseCase(int64_t batch, int64_t size, int64_t C, int64_t stride) {
  const Conv2DGeometry g = conv2DGeometry({batch, size, size, C}, 3, 3, stride, stride, true);
  std::vector<float> x(batch * size * size * C, 0.5f), k(9 * C, 0.1f), y(batch * g.outH * g.outW * C);
  const double macs = 9.0 * batch * g.outH * g.outW * C;
  for (const Variant<DepthwiseOps>& v : depthwiseVariants()) {
    const double fwd = giga(macs, [&] { v.ops.forward(x.data(), k.data(), g, 1, y.data(), {}); });
    const double bwdIn = giga(macs, [&] { v.ops.backwardInput(y.data(), k.data(), g, 1, x.data()); });
    const double bwdK = giga(macs, [&] { v.ops.backwardFilter(x.data(), y.data(), g, 1, k.data()); });
    std::printf(
        "{\"kernel\":\"depthwise3x3\",\"variant\":\"%s\",\"batch\":%lld,\"size\":%lld,\"C\":%lld,"
        "\"stride\":%lld,\"forward_gmacs\":%.2f,\"backward_input_gmacs\":%.2f,"
        "\"backward_filter_gmacs\":%.2f}\n",
        v.name, ll(batch), ll(size), ll(C), ll(stride), fwd, bwdIn, bwdK);
  }
}

void conv2dCase(const char* what, int64_t batch, int64_t size, int64_t C, int64_t F, int64_t k, int64_t stride) {
  const Conv2DGeometry g = conv2DGeometry({batch, size, size, C}, k, k, stride, stride, true);
  std::vector<float> x(batch * size * size * C, 0.5f), w(k * k * C * F, 0.1f), y(batch * g.outH * g.outW * F);
  const double macs = 1.0 * batch * g.outH * g.outW * k * k * C * F;
  for (const Variant<Conv2DOps>& v : conv2dVariants()) {
    const double fwd = giga(macs, [&] { v.ops.forward(x.data(), w.data(), g, F, y.data(), {}); });
    const double bwdIn = giga(macs, [&] { v.ops.backwardInput(y.data(), w.data(), g, F, x.data()); });
    const double bwdK = giga(macs, [&] { v.ops.backwardFilter(x.data(), y.data(), g, F, w.data()); });
    std::printf(
        "{\"kernel\":\"conv2d\",\"variant\":\"%s\",\"case\":\"%s\",\"forward_gmacs\":%.2f,"
        "\"backward_input_gmacs\":%.2f,\"backward_filter_gmacs\":%.2f}\n",
        v.name, what, fwd, bwdIn, bwdK);
  }
}

// Throughput in window taps (output elements x pool area) per second.
void poolingCase(int64_t batch, int64_t size, int64_t C, int64_t pool, int64_t stride) {
  const Conv2DGeometry g = conv2DGeometry({batch, size, size, C}, pool, pool, stride, stride, true);
  const int64_t inSize = batch * size * size * C, outSize = batch * g.outH * g.outW * C;
  std::vector<float> x(inSize, 0.5f), y(outSize), dx(inSize);
  std::vector<int32_t> argmax(outSize);
  const double taps = 1.0 * outSize * pool * pool;
  for (const Variant<PoolingOps>& v : poolingVariants()) {
    const double maxFwd = giga(taps, [&] { v.ops.maxPool(x.data(), g, y.data(), argmax.data()); });
    const double maxBwd = giga(outSize, [&] { v.ops.maxPoolBackward(y.data(), argmax.data(), g, dx.data()); });
    const double avgFwd = giga(taps, [&] { v.ops.avgPool(x.data(), g, y.data()); });
    const double avgBwd = giga(taps, [&] { v.ops.avgPoolBackward(y.data(), g, dx.data()); });
    std::printf(
        "{\"kernel\":\"pooling\",\"variant\":\"%s\",\"batch\":%lld,\"size\":%lld,\"C\":%lld,\"pool\":%lld,"
        "\"stride\":%lld,\"max_gtaps\":%.2f,\"max_backward_gelems\":%.2f,\"avg_gtaps\":%.2f,"
        "\"avg_backward_gtaps\":%.2f}\n",
        v.name, ll(batch), ll(size), ll(C), ll(pool), ll(stride), maxFwd, maxBwd, avgFwd, avgBwd);
  }
}

constexpr float kInf = std::numeric_limits<float>::infinity();

// Throughput in elements of the [rows, C] input per second.
void batchNormCase(int64_t rows, int64_t C) {
  std::vector<float> a(rows * C, 0.5f), b(rows * C, 0.25f), out(rows * C), perChannel(C, 0.5f);
  std::vector<double> s1(C), s2(C);
  const double elems = 1.0 * rows * C;
  const float* pc = perChannel.data();
  std::vector<float> shifts(C);
  for (int64_t c = 0; c < C; ++c) shifts[c] = -3.0f + 0.07f * static_cast<float>(c % 128);
  for (const Variant<BatchNormOps>& v : batchNormVariants()) {
    const double stats = giga(elems, [&] { v.ops.channelMeanVariance(a.data(), rows, C, s1.data(), s2.data()); });
    const double sums =
        giga(elems, [&] { v.ops.channelSums(a.data(), b.data(), pc, rows, C, s1.data(), s2.data(), nullptr); });
    const double affine = giga(elems, [&] { v.ops.affineRows(a.data(), rows, C, pc, pc, out.data(), -kInf, kInf); });
    const double combine =
        giga(elems, [&] { v.ops.combineRows(a.data(), b.data(), pc, rows, C, pc, pc, pc, out.data(), nullptr); });
    // Gated by a ReLU6 clamp (BatchNormalization + ReLU in training), with
    // per-channel maps that clamp part of the values: 0.5 * x + shift.
    const kernels::ClampGate gate{pc, shifts.data(), 0.0f, 6.0f};
    const double gatedSums =
        giga(elems, [&] { v.ops.channelSums(a.data(), b.data(), pc, rows, C, s1.data(), s2.data(), &gate); });
    const double gatedCombine =
        giga(elems, [&] { v.ops.combineRows(a.data(), b.data(), pc, rows, C, pc, pc, pc, out.data(), &gate); });
    std::printf(
        "{\"kernel\":\"batch_norm\",\"variant\":\"%s\",\"rows\":%lld,\"C\":%lld,\"mean_variance_gelems\":%.2f,"
        "\"channel_sums_gelems\":%.2f,\"affine_gelems\":%.2f,\"combine_gelems\":%.2f,"
        "\"gated_channel_sums_gelems\":%.2f,\"gated_combine_gelems\":%.2f}\n",
        v.name, ll(rows), ll(C), stats, sums, affine, combine, gatedSums, gatedCombine);
  }
}
}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) setThreadCount(std::stoi(argv[1]));
  std::printf("{\"threads\":%d}\n", threadCount());
  // Batch 8: pixels x channels of MobileNetV2's 1x1 convolutions.
  gemmCase("expand 56x56 24->144", false, false, 8 * 56 * 56, 144, 24);
  gemmCase("project 56x56 144->24", false, false, 8 * 56 * 56, 24, 144);
  gemmCase("expand 14x14 64->384", false, false, 8 * 14 * 14, 384, 64);
  gemmCase("project 14x14 384->64", false, false, 8 * 14 * 14, 64, 384);
  gemmCase("expand 7x7 160->960", false, false, 8 * 7 * 7, 960, 160);
  gemmCase("head 7x7 320->1280", false, false, 8 * 7 * 7, 1280, 320);
  gemmCase("dX 14x14 384->64", false, true, 8 * 14 * 14, 384, 64);
  gemmCase("dW 14x14 64->384", true, false, 64, 384, 8 * 14 * 14);
  gemmCase("dW 56x56 24->144", true, false, 24, 144, 8 * 56 * 56);
  gemmCase("dense 32x1280->1000", false, false, 32, 1000, 1280);
  depthwiseCase(8, 112, 32, 1);
  depthwiseCase(8, 112, 96, 2);
  depthwiseCase(8, 28, 192, 1);
  depthwiseCase(8, 14, 576, 1);
  depthwiseCase(8, 7, 960, 1);
  // MobileNetV2's stem (3x3, stride 2, through im2col), and a 3x3 at 28x28.
  conv2dCase("stem 224x224 3->32 s2", 8, 224, 3, 32, 3, 2);
  conv2dCase("3x3 28x28 32->32", 8, 28, 32, 32, 3, 1);
  poolingCase(8, 56, 64, 2, 2);
  poolingCase(8, 28, 192, 3, 1);
  // BatchNormalization after a 56x56 expansion, and after the 7x7 head.
  batchNormCase(8 * 56 * 56, 144);
  batchNormCase(8 * 7 * 7, 1280);
  return 0;
}
