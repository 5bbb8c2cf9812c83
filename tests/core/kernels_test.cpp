// Fast kernels against their plain reference twins, on many shapes: sizes
// that are and are not multiples of the register tiles, every transpose,
// epilogues, and sizes that span several cache blocks.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "kernels/depthwise_conv.h"
#include "kernels/gemm.h"
#include "util/thread_pool.h"

using namespace tanuki;
using namespace tanuki::kernels;

namespace {
std::vector<float> randomVector(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) x = u(rng);
  return v;
}

// max |a - b| relative to sqrt(K) (the size of accumulated rounding).
void checkClose(const std::vector<float>& a, const std::vector<float>& b, int64_t K) {
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, static_cast<double>(std::abs(a[i] - b[i])));
  CHECK(worst <= 1e-5 * (1 + std::sqrt(static_cast<double>(K)) * 4));
}

void checkGemm(bool tA, bool tB, int64_t M, int64_t N, int64_t K, float alpha, float beta, const Epilogue& ep) {
  CAPTURE(tA);
  CAPTURE(tB);
  CAPTURE(M);
  CAPTURE(N);
  CAPTURE(K);
  CAPTURE(alpha);
  CAPTURE(beta);
  const auto A = randomVector(M * K, 1), B = randomVector(K * N, 2), C0 = randomVector(M * N, 3);
  auto fast = C0, ref = C0;
  gemm(tA, tB, M, N, K, alpha, A.data(), B.data(), beta, fast.data(), ep);
  gemmReference(tA, tB, M, N, K, alpha, A.data(), B.data(), beta, ref.data(), ep);
  checkClose(fast, ref, K);
}
}  // namespace

TEST_CASE("gemm matches the reference for every transpose and awkward sizes") {
  const int64_t sizes[] = {1, 3, 4, 5, 8, 9, 17, 33};
  for (bool tA : {false, true})
    for (bool tB : {false, true})
      for (int64_t M : sizes)
        for (int64_t N : sizes)
          for (int64_t K : {1, 7, 16, 31}) checkGemm(tA, tB, M, N, K, 1.0f, 0.0f, {});
}

TEST_CASE("gemm alpha, beta and the bias/clamp epilogue") {
  std::vector<float> bias = randomVector(40, 4);
  for (float beta : {0.0f, 1.0f, 0.5f})
    for (float alpha : {1.0f, -2.0f}) {
      checkGemm(false, false, 13, 40, 20, alpha, beta, {});
      checkGemm(true, true, 13, 40, 20, alpha, beta, {bias.data(), 0.0f, 6.0f});
      checkGemm(false, false, 16, 40, 700, alpha, beta, {bias.data(), -0.25f, 0.25f});
    }
}

TEST_CASE("gemm across several K, column and row blocks (MobileNet-like shapes)") {
  checkGemm(false, false, 300, 1100, 40, 1.0f, 0.0f, {});     // several column blocks
  checkGemm(false, false, 70, 24, 1300, 1.0f, 0.0f, {});      // several K blocks
  checkGemm(true, false, 24, 40, 2000, 1.0f, 1.0f, {});       // a weight gradient: long K, transposed A
  checkGemm(false, true, 200, 96, 24, 1.0f, 0.0f, {});        // an input gradient
  checkGemm(false, false, 784, 144, 24, 1.0f, 0.0f, {});      // a 1x1 expansion
}

TEST_CASE("gemm gives the same result with one thread and with the pool") {
  const int saved = threadCount();
  const int64_t M = 257, N = 70, K = 90;
  const auto A = randomVector(M * K, 5), B = randomVector(K * N, 6);
  std::vector<float> one(M * N), many(M * N);
  setThreadCount(1);
  gemm(false, false, M, N, K, 1.0f, A.data(), B.data(), 0.0f, one.data());
  setThreadCount(maxThreadCount());
  gemm(false, false, M, N, K, 1.0f, A.data(), B.data(), 0.0f, many.data());
  setThreadCount(saved);
  CHECK(one == many);
}

TEST_CASE("parallelFor covers every task once and rethrows a task's exception") {
  std::vector<int> hits(1000, 0);
  parallelFor(1000, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) ++hits[i];
  });
  for (int h : hits) CHECK(h == 1);
  CHECK_THROWS_AS(parallelFor(50, [](int64_t b, int64_t) {
                    if (b == 0) throw std::runtime_error("task failed");
                  }),
                  std::runtime_error);
  parallelFor(10, [&](int64_t b, int64_t e) {  // nested: runs serially, still complete
    parallelFor(e - b, [&](int64_t, int64_t) {});
  });
}

TEST_CASE("depthwise convolution forward and backward match the reference loops") {
  struct Case {
    int64_t batch, h, w, C, kH, kW, stride;
    bool same;
  };
  const Case cases[] = {{2, 7, 7, 8, 3, 3, 1, true},   {1, 8, 8, 13, 3, 3, 2, true},  {2, 9, 6, 32, 3, 3, 2, false},
                        {1, 5, 5, 4, 5, 5, 1, true},   {1, 6, 9, 19, 1, 3, 1, true},  {3, 4, 4, 24, 3, 3, 2, true},
                        {1, 2, 2, 16, 3, 3, 1, true},  {1, 11, 11, 3, 3, 3, 2, false},
                        // The register-blocked 3x3 path: valid and same, both strides, odd and tiny sizes.
                        {2, 10, 12, 12, 3, 3, 1, false}, {1, 9, 9, 16, 3, 3, 2, true}, {1, 1, 5, 8, 3, 3, 1, true},
                        {1, 1, 1, 4, 3, 3, 2, true},     {1, 13, 11, 20, 3, 3, 2, false}};
  const std::vector<float> bias = randomVector(64, 9);
  for (const Case& c : cases) {
    CAPTURE(c.h);
    CAPTURE(c.w);
    CAPTURE(c.C);
    CAPTURE(c.kH);
    CAPTURE(c.stride);
    CAPTURE(c.same);
    const Conv2DGeometry g = conv2DGeometry({c.batch, c.h, c.w, c.C}, c.kH, c.kW, c.stride, c.stride, c.same);
    const int64_t inSize = c.batch * c.h * c.w * c.C, outSize = c.batch * g.outH * g.outW * c.C;
    const auto x = randomVector(inSize, 10), k = randomVector(c.kH * c.kW * c.C, 11), dy = randomVector(outSize, 12);
    for (const Epilogue& ep : {Epilogue{}, Epilogue{bias.data(), 0.0f, 0.5f}}) {
      std::vector<float> fast(outSize), ref(outSize);
      depthwiseConv2d(x.data(), k.data(), g, 1, fast.data(), ep);
      depthwiseConv2dReference(x.data(), k.data(), g, 1, ref.data(), ep);
      checkClose(fast, ref, c.kH * c.kW);
    }
    std::vector<float> dxFast(inSize), dxRef(inSize), dkFast(k.size()), dkRef(k.size());
    depthwiseConv2dBackwardInput(dy.data(), k.data(), g, 1, dxFast.data());
    depthwiseConv2dBackwardInputReference(dy.data(), k.data(), g, 1, dxRef.data());
    checkClose(dxFast, dxRef, c.kH * c.kW);
    depthwiseConv2dBackwardFilter(x.data(), dy.data(), g, 1, dkFast.data());
    depthwiseConv2dBackwardFilterReference(x.data(), dy.data(), g, 1, dkRef.data());
    checkClose(dkFast, dkRef, outSize / c.C);
  }
}
