// Kernel micro-benchmark: our GEMM against Eigen's on the products
// MobileNetV2 makes (1x1 convolutions forward and both backward products),
// then the depthwise convolution. Run the WebAssembly build under Node:
//   node build/wasm/tanuki_kernels_bench.js
// Each case is warmed up first: V8 compiles WebAssembly in tiers and only
// optimizes a function after it has run a few times.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "kernels/depthwise_conv.h"
#include "kernels/gemm.h"
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

void gemmCase(const char* what, bool tA, bool tB, int64_t M, int64_t N, int64_t K) {
  std::vector<float> A(M * K, 0.5f), B(K * N, 0.25f), C(M * N);
  const double flops = 2.0 * M * N * K;
  const double ours = secondsPerRun([&] { gemm(tA, tB, M, N, K, 1.0f, A.data(), B.data(), 0.0f, C.data()); });
  const double eigen = secondsPerRun([&] { gemmEigen(tA, tB, M, N, K, 1.0f, A.data(), B.data(), 0.0f, C.data()); });
  std::printf("{\"kernel\":\"gemm\",\"case\":\"%s\",\"M\":%lld,\"N\":%lld,\"K\":%lld,\"ours_gflops\":%.2f,\"eigen_gflops\":%.2f}\n",
              what, static_cast<long long>(M), static_cast<long long>(N), static_cast<long long>(K),
              flops / ours * 1e-9, flops / eigen * 1e-9);
}

void depthwiseCase(int64_t batch, int64_t size, int64_t C, int64_t stride) {
  const Conv2DGeometry g = conv2DGeometry({batch, size, size, C}, 3, 3, stride, stride, true);
  std::vector<float> x(batch * size * size * C, 0.5f), k(9 * C, 0.1f), y(batch * g.outH * g.outW * C);
  const double macs = 9.0 * batch * g.outH * g.outW * C;
  const double fwd = secondsPerRun([&] { depthwiseConv2d(x.data(), k.data(), g, 1, y.data()); });
  const double bwdIn = secondsPerRun([&] { depthwiseConv2dBackwardInput(y.data(), k.data(), g, 1, x.data()); });
  const double bwdK = secondsPerRun([&] { depthwiseConv2dBackwardFilter(x.data(), y.data(), g, 1, k.data()); });
  std::printf("{\"kernel\":\"depthwise3x3\",\"batch\":%lld,\"size\":%lld,\"C\":%lld,\"stride\":%lld,"
              "\"forward_gmacs\":%.2f,\"backward_input_gmacs\":%.2f,\"backward_filter_gmacs\":%.2f}\n",
              static_cast<long long>(batch), static_cast<long long>(size), static_cast<long long>(C),
              static_cast<long long>(stride), macs / fwd * 1e-9, macs / bwdIn * 1e-9, macs / bwdK * 1e-9);
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
  return 0;
}
