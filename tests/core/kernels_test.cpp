// The kernel harness: every registered variant of every op (core/kernels/<op>/
// variants.h) against the op's plain reference, over sweeps of shapes: sizes
// that are and are not multiples of the register tiles, tails smaller than a
// tile, every transpose, strides, paddings, channel counts that are not
// multiples of 4, epilogues, and sizes that span several cache blocks. Each
// op states its tolerance. Checks that hold for every op's list of variants
// come first.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "kernels/batch_norm/batch_norm_reference.h"
#include "kernels/batch_norm/variants.h"
#include "kernels/conv2d/conv2d_reference.h"
#include "kernels/conv2d/variants.h"
#include "kernels/depthwise/depthwise_reference.h"
#include "kernels/depthwise/variants.h"
#include "kernels/dropout/variants.h"
#include "kernels/gemm/gemm_reference.h"
#include "kernels/gemm/variants.h"
#include "kernels/pooling/pooling_reference.h"
#include "kernels/pooling/variants.h"
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

// The tolerance of a kernel whose outputs are sums of K products of inputs
// in [-1, 1]: float rounding grows like sqrt(K).
double sumTolerance(int64_t K) { return 1e-5 * (1 + std::sqrt(static_cast<double>(K)) * 4); }

template <class A, class B>
void checkClose(const std::vector<A>& a, const std::vector<B>& b, double tolerance) {
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(static_cast<double>(a[i]) - static_cast<double>(b[i])));
  CHECK(worst <= tolerance);
}

// check(ops) for every variant of an op, with the variant's name in any failure.
template <class Ops, class Check>
void forEachVariant(Variants<Ops> variants, Check check) {
  for (const Variant<Ops>& v : variants) {
    const std::string variant = v.name;
    CAPTURE(variant);
    check(v.ops);
  }
}

// What every op's list must be: named <op>_f32_..., names unique, a
// WebAssembly SIMD build also testing the scalar variants native builds run,
// and a build listing no SIMD (or relaxed-SIMD) variant it could not run.
void checkRegistry(const std::vector<std::string>& names, const std::string& op) {
  CAPTURE(op);
  REQUIRE(!names.empty());
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
  bool scalar = false, simd = false, relaxed = false;
  for (const std::string& name : names) {
    CAPTURE(name);
    CHECK(name.rfind(op + "_f32_", 0) == 0);
    scalar = scalar || name.ends_with("_scalar") || op == "conv2d";  // conv2d: im2col around the GEMM's variants
    simd = simd || name.ends_with("_wasmsimd") || name.ends_with("_wasmrelaxed");
    relaxed = relaxed || name.ends_with("_wasmrelaxed");
  }
  CHECK(scalar);
#ifndef __wasm_simd128__
  CHECK(!simd);
#endif
#ifdef __wasm_relaxed_simd__
  // The fused multiply-add is what the relaxed build is for: the ops built on
  // multiply-add loops run it first.
  if (op == "gemm" || op == "depthwise") CHECK(names.front().ends_with("_wasmrelaxed"));
#else
  CHECK(!relaxed);
#endif
}

template <class Ops>
std::vector<std::string> names(Variants<Ops> variants) {
  std::vector<std::string> out;
  for (const Variant<Ops>& v : variants) out.emplace_back(v.name);
  return out;
}

// The shapes the convolution-like ops are swept over: 'same' and 'valid'
// windows (and, with `explicitPadding`, ZeroPadding2D's implicit padding) of
// each kernel size and stride over each image size and channel count.
struct Window {
  int64_t kH, kW, stride;
};

std::vector<Conv2DGeometry> geometrySweep(const std::vector<std::array<int64_t, 3>>& images,  // {batch, H, W}
                                          const std::vector<int64_t>& channels, const std::vector<Window>& windows,
                                          bool explicitPadding) {
  std::vector<Conv2DGeometry> out;
  for (const auto& [batch, h, w] : images)
    for (int64_t C : channels)
      for (const Window& k : windows) {
        const Shape input{batch, h, w, C};
        std::vector<Conv2DGeometry> candidates = {conv2DGeometry(input, k.kH, k.kW, k.stride, k.stride, true),
                                                  conv2DGeometry(input, k.kH, k.kW, k.stride, k.stride, false)};
        if (explicitPadding) {
          candidates.push_back(paddedConv2DGeometry(input, {0, 1, 2, 0}, k.kH, k.kW, k.stride, k.stride));
          candidates.push_back(paddedConv2DGeometry(input, {3, 1, 1, 3}, k.kH, k.kW, k.stride, k.stride));
        }
        for (const Conv2DGeometry& g : candidates)
          if (g.outH > 0 && g.outW > 0) out.push_back(g);
      }
  return out;
}

std::string describe(const Conv2DGeometry& g) {
  auto str = [](int64_t v) { return std::to_string(v); };
  return "batch " + str(g.batch) + ", in " + str(g.inH) + "x" + str(g.inW) + "x" + str(g.channels) + ", kernel " +
         str(g.kH) + "x" + str(g.kW) + ", stride " + str(g.strideH) + ", pad " + str(g.padTop) + "/" + str(g.padLeft) +
         ", out " + str(g.outH) + "x" + str(g.outW);
}

// Runs fn with one thread, so that results that depend on the order threads
// finish in (a weight gradient's merged partial sums) can be compared bit for bit.
template <class Fn>
void singleThreaded(Fn fn) {
  const int saved = threadCount();
  setThreadCount(1);
  fn();
  setThreadCount(saved);
}
}  // namespace

TEST_CASE("every op lists its variants by name, scalar ones included") {
  checkRegistry(names(gemmVariants()), "gemm");
  checkRegistry(names(depthwiseVariants()), "depthwise");
  checkRegistry(names(conv2dVariants()), "conv2d");
  checkRegistry(names(poolingVariants()), "pooling");
  checkRegistry(names(batchNormVariants()), "batch_norm");
  checkRegistry(names(dropoutVariants()), "dropout");
}

TEST_CASE("the public entry points run each op's first variant") {
  singleThreaded([] {
    const int64_t M = 13, N = 11, K = 9;
    const auto A = randomVector(M * K, 1), B = randomVector(K * N, 2);
    std::vector<float> pub(M * N), first(M * N);
    gemm(false, false, M, N, K, 1.0f, A.data(), B.data(), 0.0f, pub.data());
    gemmVariants()[0].ops.gemm(false, false, M, N, K, 1.0f, A.data(), B.data(), 0.0f, first.data(), {});
    CHECK(pub == first);

    for (int64_t k : {3, 5}) {
      const Conv2DGeometry g = conv2DGeometry({1, 9, 9, 12}, k, k, 1, 1, true);
      const auto x = randomVector(9 * 9 * 12, 3), w = randomVector(k * k * 12, 4);
      std::vector<float> y1(x.size()), y2(x.size()), dx1(x.size()), dx2(x.size()), dk1(w.size()), dk2(w.size());
      const DepthwiseOps& ops = depthwiseVariants()[0].ops;
      depthwiseConv2d(x.data(), w.data(), g, 1, y1.data());
      ops.forward(x.data(), w.data(), g, 1, y2.data(), {});
      depthwiseConv2dBackwardInput(y1.data(), w.data(), g, 1, dx1.data());
      ops.backwardInput(y1.data(), w.data(), g, 1, dx2.data());
      depthwiseConv2dBackwardFilter(x.data(), y1.data(), g, 1, dk1.data());
      ops.backwardFilter(x.data(), y1.data(), g, 1, dk2.data());
      CHECK(y1 == y2);
      CHECK(dx1 == dx2);
      CHECK(dk1 == dk2);
    }
  });
  // conv2d, pooling and batch_norm have one variant each: their public
  // functions are that variant's entries.
  CHECK((conv2dVariants()[0].ops.forward == &conv2d));
  CHECK((poolingVariants()[0].ops.maxPool == &maxPool2d));
  CHECK((batchNormVariants()[0].ops.channelSums == &channelSums));
  const auto x = randomVector(37, 5);
  std::vector<float> pub(x.size()), first(x.size());
  dropoutMultiply(dropoutMask(9, 0.5), x.data(), pub.data(), 37);
  dropoutVariants()[0].ops.multiply(dropoutMask(9, 0.5), x.data(), first.data(), 37);
  CHECK(pub == first);
}

// --- gemm: tolerance sumTolerance(K) -------------------------------------

namespace {
void checkGemm(bool tA, bool tB, int64_t M, int64_t N, int64_t K, float alpha, float beta, const Epilogue& ep) {
  CAPTURE(tA);
  CAPTURE(tB);
  CAPTURE(M);
  CAPTURE(N);
  CAPTURE(K);
  CAPTURE(alpha);
  CAPTURE(beta);
  const auto A = randomVector(M * K, 1), B = randomVector(K * N, 2), C0 = randomVector(M * N, 3);
  auto ref = C0;
  gemmReference(tA, tB, M, N, K, alpha, A.data(), B.data(), beta, ref.data(), ep);
  forEachVariant(gemmVariants(), [&](const GemmOps& ops) {
    auto fast = C0;
    ops.gemm(tA, tB, M, N, K, alpha, A.data(), B.data(), beta, fast.data(), ep);
    checkClose(fast, ref, sumTolerance(K));
  });
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

TEST_CASE("gemm: a C of at most four columns (the narrow kernel) equals the tiled path's columns bit for bit") {
  // Five columns go through the 4x8 tiles; the first four of them, alone,
  // through the narrow kernel. Each element is summed and stored the same
  // way on both paths, so the four columns agree exactly.
  const std::vector<float> bias = randomVector(5, 7);
  for (bool tA : {false, true})
    for (bool tB : {false, true})
      for (int64_t M : {1, 3, 4, 5, 9, 33})
        for (int64_t K : {1, 7, 600, 1100})
          for (const auto& scaling :
               {std::tuple{1.0f, 0.0f, Epilogue{}}, std::tuple{-0.5f, 2.0f, Epilogue{bias.data(), -0.5f, 0.5f}}}) {
            const float alpha = std::get<0>(scaling), beta = std::get<1>(scaling);
            const Epilogue epilogue = std::get<2>(scaling);
            CAPTURE(tA);
            CAPTURE(tB);
            CAPTURE(M);
            CAPTURE(K);
            CAPTURE(alpha);
            const auto A = randomVector(M * K, 8), B5 = randomVector(K * 5, 9), C0 = randomVector(M * 5, 10);
            for (int64_t N = 1; N <= 4; ++N) {
              CAPTURE(N);
              // B's and C's first N columns (B transposed: its first N rows).
              std::vector<float> B(K * N), C(M * N);
              for (int64_t k = 0; k < K; ++k)
                for (int64_t j = 0; j < N; ++j) B[tB ? j * K + k : k * N + j] = B5[tB ? j * K + k : k * 5 + j];
              for (int64_t i = 0; i < M; ++i)
                for (int64_t j = 0; j < N; ++j) C[i * N + j] = C0[i * 5 + j];
              forEachVariant(gemmVariants(), [&](const GemmOps& ops) {
                auto wide = C0, narrow = C;
                ops.gemm(tA, tB, M, 5, K, alpha, A.data(), B5.data(), beta, wide.data(), epilogue);
                ops.gemm(tA, tB, M, N, K, alpha, A.data(), B.data(), beta, narrow.data(), epilogue);
                for (int64_t i = 0; i < M; ++i)
                  for (int64_t j = 0; j < N; ++j) CHECK(narrow[i * N + j] == wide[i * 5 + j]);
              });
            }
          }
}

TEST_CASE("gemm without a product (K = 0 or alpha = 0) scales C and applies the epilogue") {
  std::vector<float> bias = randomVector(9, 5);
  for (float beta : {0.0f, 0.5f}) {
    checkGemm(false, false, 5, 9, 0, 1.0f, beta, {bias.data(), -0.5f, 0.5f});
    checkGemm(false, true, 5, 9, 7, 0.0f, beta, {bias.data(), -0.5f, 0.5f});
  }
}

TEST_CASE("gemm across several K, column and row blocks (MobileNet-like shapes)") {
  checkGemm(false, false, 300, 1100, 40, 1.0f, 0.0f, {});  // several column blocks
  checkGemm(false, false, 70, 24, 1300, 1.0f, 0.0f, {});   // several K blocks
  checkGemm(true, false, 24, 40, 2000, 1.0f, 1.0f, {});    // a weight gradient: long K, transposed A
  checkGemm(false, true, 200, 96, 24, 1.0f, 0.0f, {});     // an input gradient
  checkGemm(false, false, 784, 144, 24, 1.0f, 0.0f, {});   // a 1x1 expansion
}

TEST_CASE("gemm splits the long K of a kernel gradient into chunks and still matches the reference") {
  for (float beta : {0.0f, 1.0f})
    for (float alpha : {1.0f, -2.0f}) {
      checkGemm(true, false, 24, 40, 9000, alpha, beta, {});  // 3 chunks, the last one short
      checkGemm(true, false, 70, 9, 8192, alpha, beta, {});   // exactly 2 chunks, rows past 64, N not a multiple of 8
    }
  std::vector<float> bias = randomVector(40, 7);
  checkGemm(true, false, 24, 40, 9000, 1.0f, 0.0f, {bias.data(), 0.0f, 6.0f});  // an epilogue: not split
}

namespace {
// The product with one thread and with the whole pool, bit for bit.
void checkThreadCountIndependent(bool tA, int64_t M, int64_t N, int64_t K) {
  CAPTURE(tA);
  CAPTURE(K);
  const int saved = threadCount();
  const auto A = randomVector(M * K, 5), B = randomVector(K * N, 6);
  forEachVariant(gemmVariants(), [&](const GemmOps& ops) {
    std::vector<float> one(M * N), many(M * N);
    setThreadCount(1);
    ops.gemm(tA, false, M, N, K, 1.0f, A.data(), B.data(), 0.0f, one.data(), {});
    setThreadCount(maxThreadCount());
    ops.gemm(tA, false, M, N, K, 1.0f, A.data(), B.data(), 0.0f, many.data(), {});
    setThreadCount(saved);
    CHECK(one == many);
  });
}
}  // namespace

TEST_CASE("gemm gives the same result with one thread and with the pool") {
  checkThreadCountIndependent(false, 257, 70, 90);
  // A kernel gradient split over K: chunks of a fixed length, added in order.
  checkThreadCountIndependent(true, 24, 40, 9000);
}

TEST_CASE("parallelFor covers every task once and rethrows a task's exception") {
  std::vector<int> hits(1000, 0);
  parallelFor(1000, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) ++hits[i];
  });
  for (int h : hits) CHECK(h == 1);
  CHECK_THROWS_AS(parallelFor(50,
                              [](int64_t b, int64_t) {
                                if (b == 0) throw std::runtime_error("task failed");
                              }),
                  std::runtime_error);
  parallelFor(10, [&](int64_t b, int64_t e) {  // nested: runs serially, still complete
    parallelFor(e - b, [&](int64_t, int64_t) {});
  });
}

// --- depthwise: tolerance sumTolerance(terms per output) -------------------

namespace {
void checkDepthwise(const Conv2DGeometry& g, int64_t M, const Epilogue& ep) {
  const std::string geometry = describe(g);
  CAPTURE(geometry);
  CAPTURE(M);
  const int64_t C = g.channels, taps = g.kH * g.kW;
  const int64_t inSize = g.batch * g.inH * g.inW * C, outSize = g.batch * g.outH * g.outW * C * M;
  const auto x = randomVector(inSize, 10), k = randomVector(taps * C * M, 11), dy = randomVector(outSize, 12);
  std::vector<float> ref(outSize), dxRef(inSize), dkRef(k.size());
  depthwiseConv2dReference(x.data(), k.data(), g, M, ref.data(), ep);
  depthwiseConv2dBackwardInputReference(dy.data(), k.data(), g, M, dxRef.data());
  depthwiseConv2dBackwardFilterReference(x.data(), dy.data(), g, M, dkRef.data());
  forEachVariant(depthwiseVariants(), [&](const DepthwiseOps& ops) {
    std::vector<float> fast(outSize), dx(inSize), dk(k.size());
    ops.forward(x.data(), k.data(), g, M, fast.data(), ep);
    checkClose(fast, ref, sumTolerance(taps));
    ops.backwardInput(dy.data(), k.data(), g, M, dx.data());
    checkClose(dx, dxRef, sumTolerance(taps * M));
    ops.backwardFilter(x.data(), dy.data(), g, M, dk.data());
    checkClose(dk, dkRef, sumTolerance(g.batch * g.outH * g.outW));
  });
}
}  // namespace

TEST_CASE("depthwise convolution forward and backward match the reference loops") {
  struct Case {
    int64_t batch, h, w, C, kH, kW, stride;
    bool same;
  };
  const Case cases[] = {{2, 7, 7, 8, 3, 3, 1, true},
                        {1, 8, 8, 13, 3, 3, 2, true},
                        {2, 9, 6, 32, 3, 3, 2, false},
                        {1, 5, 5, 4, 5, 5, 1, true},
                        {1, 6, 9, 19, 1, 3, 1, true},
                        {3, 4, 4, 24, 3, 3, 2, true},
                        {1, 2, 2, 16, 3, 3, 1, true},
                        {1, 11, 11, 3, 3, 3, 2, false},
                        // The register-blocked 3x3 path: valid and same, both strides, odd and tiny sizes.
                        {2, 10, 12, 12, 3, 3, 1, false},
                        {1, 9, 9, 16, 3, 3, 2, true},
                        {1, 1, 5, 8, 3, 3, 1, true},
                        {1, 1, 1, 4, 3, 3, 2, true},
                        {1, 13, 11, 20, 3, 3, 2, false}};
  const std::vector<float> bias = randomVector(64, 9);
  for (const Case& c : cases) {
    const Conv2DGeometry g = conv2DGeometry({c.batch, c.h, c.w, c.C}, c.kH, c.kW, c.stride, c.stride, c.same);
    for (const Epilogue& ep : {Epilogue{}, Epilogue{bias.data(), 0.0f, 0.5f}}) checkDepthwise(g, 1, ep);
  }
}

TEST_CASE("depthwise sweep: sizes, channels, kernels, strides, paddings and multipliers") {
  const std::vector<float> bias = randomVector(3 * 17, 13);
  const auto geometries = geometrySweep({{1, 1, 1}, {1, 2, 3}, {2, 7, 7}, {1, 8, 9}}, {1, 3, 4, 8, 13, 16},
                                        {{1, 1, 1}, {3, 3, 1}, {3, 3, 2}, {1, 3, 1}, {5, 5, 2}, {2, 2, 2}}, true);
  for (const Conv2DGeometry& g : geometries)
    for (int64_t M : {1, 2}) checkDepthwise(g, M, {bias.data(), -0.5f, 0.75f});
  // More taps than the indirection table holds (the plain loops take it).
  checkDepthwise(conv2DGeometry({1, 10, 10, 8}, 9, 9, 1, 1, true), 1, {});
  checkDepthwise(conv2DGeometry({1, 6, 5, 5}, 3, 3, 1, 1, true), 3, {});
}

// --- conv2d: tolerance sumTolerance(terms per output) ----------------------

TEST_CASE("conv2d sweep: forward and backward of every variant match the reference") {
  const std::vector<float> bias = randomVector(9, 20);
  const auto geometries = geometrySweep({{1, 1, 1}, {2, 5, 7}, {1, 8, 8}}, {1, 3, 8},
                                        {{1, 1, 1}, {1, 1, 2}, {3, 3, 1}, {3, 3, 2}, {1, 3, 1}, {5, 5, 2}}, true);
  for (const Conv2DGeometry& g : geometries)
    for (int64_t F : {1, 5, 9}) {
      const std::string geometry = describe(g);
      CAPTURE(geometry);
      CAPTURE(F);
      const int64_t C = g.channels, taps = g.kH * g.kW;
      const int64_t inSize = g.batch * g.inH * g.inW * C, outSize = g.batch * g.outH * g.outW * F;
      const auto x = randomVector(inSize, 21), k = randomVector(taps * C * F, 22), dy = randomVector(outSize, 23);
      const Epilogue ep{bias.data(), -1.0f, 1.5f};
      std::vector<float> ref(outSize), dxRef(inSize), dkRef(k.size());
      conv2dReference(x.data(), k.data(), g, F, ref.data(), ep);
      conv2dBackwardInputReference(dy.data(), k.data(), g, F, dxRef.data());
      conv2dBackwardFilterReference(x.data(), dy.data(), g, F, dkRef.data());
      forEachVariant(conv2dVariants(), [&](const Conv2DOps& ops) {
        std::vector<float> y(outSize), dx(inSize), dk(k.size());
        ops.forward(x.data(), k.data(), g, F, y.data(), ep);
        checkClose(y, ref, sumTolerance(taps * C));
        ops.backwardInput(dy.data(), k.data(), g, F, dx.data());
        checkClose(dx, dxRef, sumTolerance(taps * F));
        ops.backwardFilter(x.data(), dy.data(), g, F, dk.data());
        checkClose(dk, dkRef, sumTolerance(g.batch * g.outH * g.outW));
      });
    }
}

// --- pooling: max exact, averages sumTolerance(window) ---------------------

TEST_CASE("pooling sweep: max and average, forward and backward, match the reference") {
  const auto geometries = geometrySweep({{1, 1, 1}, {2, 5, 7}, {1, 8, 8}}, {1, 3, 4, 9},
                                        {{1, 1, 1}, {2, 2, 2}, {3, 3, 1}, {3, 3, 2}, {2, 3, 3}, {3, 3, 3}}, false);
  for (const Conv2DGeometry& g : geometries) {
    const std::string geometry = describe(g);
    CAPTURE(geometry);
    const int64_t inSize = g.batch * g.inH * g.inW * g.channels, outSize = g.batch * g.outH * g.outW * g.channels;
    auto x = randomVector(inSize, 30);
    for (size_t i = 0; i < x.size(); i += 5) x[i] = 0.5f;  // ties: the first maximum wins
    const auto dy = randomVector(outSize, 31);
    std::vector<float> maxRef(outSize), dxMaxRef(inSize), avgRef(outSize), dxAvgRef(inSize);
    std::vector<int32_t> argmaxRef(outSize);
    maxPool2dReference(x.data(), g, maxRef.data(), argmaxRef.data());
    maxPool2dBackwardReference(x.data(), dy.data(), g, dxMaxRef.data());
    avgPool2dReference(x.data(), g, avgRef.data());
    avgPool2dBackwardReference(dy.data(), g, dxAvgRef.data());
    forEachVariant(poolingVariants(), [&](const PoolingOps& ops) {
      std::vector<float> y(outSize), dx(inSize);
      std::vector<int32_t> argmax(outSize);
      ops.maxPool(x.data(), g, y.data(), argmax.data());
      CHECK(y == maxRef);
      CHECK(argmax == argmaxRef);
      std::vector<float> valuesOnly(outSize, -1.0f);
      ops.maxPool(x.data(), g, valuesOnly.data(), nullptr);
      CHECK(valuesOnly == maxRef);
      ops.maxPoolBackward(dy.data(), argmax.data(), g, dx.data());
      checkClose(dx, dxMaxRef, sumTolerance(g.kH * g.kW));
      ops.avgPool(x.data(), g, y.data());
      checkClose(y, avgRef, sumTolerance(g.kH * g.kW));
      ops.avgPoolBackward(dy.data(), g, dx.data());
      checkClose(dx, dxAvgRef, sumTolerance(g.kH * g.kW));
    });
  }
}

TEST_CASE("max pooling with and without argmax: the same bits where NaN and infinities are in the window") {
  // 3x3 windows, stride 1, 'same' over a 4x4 image of 8 channels.
  Conv2DGeometry g{};
  g.batch = 1, g.inH = 4, g.inW = 4, g.channels = 8, g.kH = 3, g.kW = 3, g.strideH = 1, g.strideW = 1;
  g.outH = 4, g.outW = 4, g.padTop = 1, g.padLeft = 1;
  auto x = randomVector(g.inH * g.inW * g.channels, 32);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (int64_t i : {0, 9, 21, 40, 77}) x[i] = nan;  // first pixels of windows and inner ones
  for (int64_t i : {3, 50}) x[i] = std::numeric_limits<float>::infinity();
  x[100] = -std::numeric_limits<float>::infinity();
  const int64_t outSize = g.outH * g.outW * g.channels;
  std::vector<float> ref(outSize), y(outSize, 0.0f), values(outSize, 0.0f);
  std::vector<int32_t> argmaxRef(outSize), argmax(outSize);
  maxPool2dReference(x.data(), g, ref.data(), argmaxRef.data());
  forEachVariant(poolingVariants(), [&](const PoolingOps& ops) {
    ops.maxPool(x.data(), g, y.data(), argmax.data());
    ops.maxPool(x.data(), g, values.data(), nullptr);
    CHECK(std::memcmp(y.data(), ref.data(), sizeof(float) * outSize) == 0);
    CHECK(std::memcmp(values.data(), ref.data(), sizeof(float) * outSize) == 0);
    CHECK(argmax == argmaxRef);
  });
}

// --- batch_norm: sums sumTolerance(rows), element-wise maps a few roundings -

namespace {
// A few float roundings of values up to about 8.
constexpr double kElementwiseTolerance = 4e-6;
constexpr float kInfinity = std::numeric_limits<float>::infinity();
}  // namespace

TEST_CASE("batch_norm sweep: channel statistics and row maps match the reference") {
  for (int64_t rows : {1, 5, 31, 32, 33, 100, 1000})
    for (int64_t C : {1, 3, 4, 7, 8, 17}) {
      CAPTURE(rows);
      CAPTURE(C);
      auto a = randomVector(rows * C, 40), b = randomVector(rows * C, 41);
      for (float& v : b) v += 3.0f;  // an offset mean, which the shift centres
      const auto scale = randomVector(C, 42), shift = randomVector(C, 43), p = randomVector(C, 44),
                 q = randomVector(C, 45), s = randomVector(C, 46);
      std::vector<double> meanRef(C), varRef(C), sumARef(C), sumABRef(C);
      channelMeanVarianceReference(b.data(), rows, C, meanRef.data(), varRef.data());
      forEachVariant(batchNormVariants(), [&](const BatchNormOps& ops) {
        std::vector<double> mean(C), var(C), sumA(C), sumAB(C);
        ops.channelMeanVariance(b.data(), rows, C, mean.data(), var.data());
        checkClose(mean, meanRef, sumTolerance(1));
        checkClose(var, varRef, sumTolerance(1));
        // The gate (an absorbed ReLU6) cuts b * scale + shift, which spans about [-5, 5], at 0 and 1.
        const ClampGate clamp{scale.data(), shift.data(), 0.0f, 1.0f};
        for (const ClampGate* gate : {static_cast<const ClampGate*>(nullptr), &clamp})
          for (const float* centre : {static_cast<const float*>(nullptr), shift.data()}) {
            CAPTURE(gate != nullptr);
            channelSumsReference(a.data(), b.data(), centre, rows, C, sumARef.data(), sumABRef.data(), gate);
            ops.channelSums(a.data(), b.data(), centre, rows, C, sumA.data(), sumAB.data(), gate);
            checkClose(sumA, sumARef, sumTolerance(rows));
            checkClose(sumAB, sumABRef, 4 * sumTolerance(rows));  // terms up to |a| * |b - shift| <= 4
            const float lo = gate ? gate->lo : -kInfinity, hi = gate ? gate->hi : kInfinity;
            std::vector<float> y(rows * C), yRef(rows * C);
            ops.affineRows(a.data(), rows, C, scale.data(), centre, y.data(), lo, hi);
            affineRowsReference(a.data(), rows, C, scale.data(), centre, yRef.data(), lo, hi);
            checkClose(y, yRef, kElementwiseTolerance);
          }
        for (const ClampGate* gate : {static_cast<const ClampGate*>(nullptr), &clamp}) {
          std::vector<float> out(rows * C), outRef(rows * C);
          ops.combineRows(a.data(), b.data(), shift.data(), rows, C, p.data(), q.data(), s.data(), out.data(), gate);
          combineRowsReference(a.data(), b.data(), shift.data(), rows, C, p.data(), q.data(), s.data(), outRef.data(),
                               gate);
          checkClose(out, outRef, kElementwiseTolerance);
        }
      });
    }
}

// --- dropout: exact (every variant computes the same bits) ----------------

TEST_CASE("dropout: every variant drops exactly the values whose bits fall below the threshold, in place too") {
  for (const double rate : {0.1, 0.5, 0.9})
    for (const int64_t n : {0, 1, 3, 4, 5, 8, 1001}) {
      CAPTURE(rate);
      CAPTURE(n);
      const DropoutMask mask = dropoutMask(0x0123456789abcdefULL, rate);
      auto x = randomVector(n, 6);
      if (n > 4) {
        x[1] = std::numeric_limits<float>::quiet_NaN();
        x[2] = std::numeric_limits<float>::infinity();
      }
      forEachVariant(dropoutVariants(), [&](const DropoutOps& ops) {
        std::vector<float> y(n);
        ops.multiply(mask, x.data(), y.data(), n);
        for (int64_t i = 0; i < n; ++i) {
          CAPTURE(i);
          const bool dropped = dropoutBits(mask.seed, static_cast<uint64_t>(i)) < mask.threshold;
          const float expected = x[i] * (dropped ? 0.0f : mask.keepScale);  // NaN * 0 and inf * 0 stay NaN
          if (std::isnan(expected)) {
            CHECK(std::isnan(y[i]));
          } else {
            CHECK(y[i] == expected);
          }
        }
        auto inPlace = x;
        ops.multiply(mask, inPlace.data(), inPlace.data(), n);
        for (int64_t i = 0; i < n; ++i) CHECK((inPlace[i] == y[i] || (std::isnan(inPlace[i]) && std::isnan(y[i]))));
      });
    }
}

TEST_CASE("dropout: the mask drops the rate's share, and masks of other seeds are independent of it") {
  constexpr int64_t n = 200000;
  const std::vector<float> ones(n, 1.0f);
  for (const double rate : {0.1, 0.5, 0.9}) {
    CAPTURE(rate);
    forEachVariant(dropoutVariants(), [&](const DropoutOps& ops) {
      std::vector<float> a(n), b(n);
      ops.multiply(dropoutMask(1, rate), ones.data(), a.data(), n);
      ops.multiply(dropoutMask(2, rate), ones.data(), b.data(), n);
      int64_t droppedA = 0, droppedBoth = 0, runs = 0;
      for (int64_t i = 0; i < n; ++i) {
        droppedA += a[i] == 0.0f;
        droppedBoth += a[i] == 0.0f && b[i] == 0.0f;
        runs += i > 0 && (a[i] == 0.0f) != (a[i - 1] == 0.0f);
      }
      // Binomial spreads: a standard deviation is at most 0.0011 of n here; allow 5.
      CHECK(std::abs(static_cast<double>(droppedA) / n - rate) < 0.0056);
      CHECK(std::abs(static_cast<double>(droppedBoth) / n - rate * rate) < 0.0056);
      // Neighbours are independent too: a change between two values with probability 2 rate (1 - rate).
      CHECK(std::abs(static_cast<double>(runs) / (n - 1) - 2 * rate * (1 - rate)) < 0.0056);
    });
  }
}
