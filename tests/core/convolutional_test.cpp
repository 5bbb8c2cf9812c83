// Conv2D, DepthwiseConv2D, SeparableConv2D and ZeroPadding2D: forward
// against naive references, finite-difference gradients, configs, errors.
#include <doctest/doctest.h>

#include <algorithm>

#include "gradient_check.h"
#include "layer_checks.h"
#include "test_helpers.h"
#include "util/errors.h"

using namespace tanuki;
using namespace tanuki::testing;

namespace {
// TensorFlow's padding, written out here independently of the kernels.
struct Axis {
  int64_t out, before;
};
Axis tfAxis(int64_t in, int64_t k, int64_t stride, bool same) {
  if (!same) return {(in - k) / stride + 1, 0};
  const int64_t out = (in + stride - 1) / stride;
  return {out, std::max<int64_t>((out - 1) * stride + k - in, 0) / 2};
}

// x: [N, H, W, C]; kernel: [kH, kW, C, F] (conv) or [kH, kW, C, M] (depthwise,
// output channel c * M + m); bias: one per output channel, or empty.
Tensor naiveConv(const Tensor& x, const Tensor& kernel, const Tensor& bias, int64_t strideH, int64_t strideW, bool same,
                 bool depthwise) {
  const int64_t N = x.dim(0), H = x.dim(1), W = x.dim(2), C = x.dim(3);
  const int64_t kH = kernel.dim(0), kW = kernel.dim(1), last = kernel.dim(3);
  const Axis ah = tfAxis(H, kH, strideH, same), aw = tfAxis(W, kW, strideW, same);
  const int64_t outC = depthwise ? C * last : last;
  Tensor y({N, ah.out, aw.out, outC});
  auto at = [](const Tensor& t, int64_t a, int64_t b, int64_t c, int64_t d) {
    return t[((a * t.dim(1) + b) * t.dim(2) + c) * t.dim(3) + d];
  };
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oy = 0; oy < ah.out; ++oy)
      for (int64_t ox = 0; ox < aw.out; ++ox)
        for (int64_t o = 0; o < outC; ++o) {
          double s = bias.defined() ? bias[o] : 0.0;
          for (int64_t ky = 0; ky < kH; ++ky)
            for (int64_t kx = 0; kx < kW; ++kx) {
              const int64_t iy = oy * strideH - ah.before + ky, ix = ox * strideW - aw.before + kx;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              if (depthwise) {
                s += at(x, n, iy, ix, o / last) * at(kernel, ky, kx, o / last, o % last);
              } else {
                for (int64_t c = 0; c < C; ++c) s += at(x, n, iy, ix, c) * at(kernel, ky, kx, c, o);
              }
            }
          y[((n * ah.out + oy) * aw.out + ox) * outC + o] = static_cast<float>(s);
        }
  return y;
}

void checkClose(const Tensor& actual, const Tensor& expected) {
  REQUIRE(actual.shape() == expected.shape());
  std::vector<double> a(actual.data(), actual.data() + actual.size());
  std::vector<double> e(expected.data(), expected.data() + expected.size());
  CHECK(relativeError(a, e) <= 1e-5);
}

struct WindowCase {
  Json kernel, strides;
  const char* padding;
  Shape input;
};
// Stride 1 and 2, same and valid, odd and even sizes, 1x1 (the GEMM fast
// path) and a non-square kernel with unequal strides.
const std::vector<WindowCase> kWindowCases = {
    {3, 1, "same", {2, 5, 5, 3}},  {3, 2, "same", {2, 6, 6, 2}},  {3, 2, "same", {1, 5, 7, 2}},
    {3, 2, "valid", {2, 6, 6, 2}}, {3, 1, "valid", {1, 5, 4, 3}}, {2, 1, "same", {1, 4, 4, 2}},
    {1, 1, "same", {2, 3, 4, 3}},  {1, 2, "valid", {1, 5, 5, 2}}, {{3, 2}, {2, 1}, "same", {1, 6, 5, 2}},
};

int64_t pairAt(const Json& v, int i) { return v.is_array() ? v[i].get<int64_t>() : v.get<int64_t>(); }
}  // namespace

TEST_CASE("Conv2D forward matches a naive convolution") {
  SeededRandom seeded(1);
  for (const auto& c : kWindowCases) {
    CAPTURE(c.kernel.dump());
    CAPTURE(c.strides.dump());
    CAPTURE(c.padding);
    auto conv =
        layer("Conv2D", {{"filters", 3}, {"kernel_size", c.kernel}, {"strides", c.strides}, {"padding", c.padding}});
    conv->build({c.input});
    const Tensor kernel = randomTensor(conv->weights()[0]->shape()), bias = randomTensor({3});
    conv->setWeights({kernel, bias});
    const Tensor x = randomTensor(c.input);
    checkClose(conv->apply(x), naiveConv(x, kernel, bias, pairAt(c.strides, 0), pairAt(c.strides, 1),
                                         std::string(c.padding) == "same", false));
  }
}

TEST_CASE("'same' padding with stride 2 on an even input pads after, as TensorFlow does") {
  SeededRandom seeded(2);
  // 4x4 input, 3x3 kernel, stride 2: pad_total = 1, so 0 rows before and 1 after.
  std::vector<float> values(16);
  for (int i = 0; i < 16; ++i) values[i] = static_cast<float>(i + 1);
  const Tensor x({1, 4, 4, 1}, values);
  auto conv =
      layer("Conv2D", {{"filters", 1}, {"kernel_size", 3}, {"strides", 2}, {"padding", "same"}, {"use_bias", false}});
  conv->build({{-1, 4, 4, 1}});
  conv->setWeights({Tensor({3, 3, 1, 1}, 1.0f)});
  CHECK(conv->apply(x).toVector() == std::vector<float>{54, 45, 72, 54});
  auto dw = layer("DepthwiseConv2D", {{"kernel_size", 3}, {"strides", 2}, {"padding", "same"}, {"use_bias", false}});
  dw->build({{-1, 4, 4, 1}});
  dw->setWeights({Tensor({3, 3, 1, 1}, 1.0f)});
  CHECK(dw->apply(x).toVector() == std::vector<float>{54, 45, 72, 54});
}

TEST_CASE("DepthwiseConv2D forward matches a naive depthwise convolution") {
  SeededRandom seeded(3);
  for (int64_t multiplier : {1, 2}) {
    for (const auto& c : kWindowCases) {
      CAPTURE(multiplier);
      CAPTURE(c.kernel.dump());
      CAPTURE(c.strides.dump());
      CAPTURE(c.padding);
      auto dw = layer("DepthwiseConv2D", {{"kernel_size", c.kernel},
                                          {"strides", c.strides},
                                          {"padding", c.padding},
                                          {"depth_multiplier", multiplier}});
      dw->build({c.input});
      const Tensor kernel = randomTensor(dw->weights()[0]->shape()), bias = randomTensor({c.input[3] * multiplier});
      dw->setWeights({kernel, bias});
      const Tensor x = randomTensor(c.input);
      checkClose(dw->apply(x), naiveConv(x, kernel, bias, pairAt(c.strides, 0), pairAt(c.strides, 1),
                                         std::string(c.padding) == "same", true));
    }
  }
}

TEST_CASE("SeparableConv2D is a depthwise then a pointwise convolution") {
  SeededRandom seeded(4);
  auto sep = layer("SeparableConv2D",
                   {{"filters", 3}, {"kernel_size", 3}, {"strides", 2}, {"padding", "same"}, {"depth_multiplier", 2}});
  sep->build({{-1, 6, 5, 2}});
  const auto ws = sep->weights();
  REQUIRE(ws.size() == 3);
  CHECK(ws[0]->shape() == Shape{3, 3, 2, 2});
  CHECK(ws[1]->shape() == Shape{1, 1, 4, 3});
  CHECK(ws[2]->shape() == Shape{3});
  const Tensor dk = randomTensor({3, 3, 2, 2}), pk = randomTensor({1, 1, 4, 3}), bias = randomTensor({3});
  sep->setWeights({dk, pk, bias});
  const Tensor x = randomTensor({2, 6, 5, 2});
  const Tensor h = naiveConv(x, dk, Tensor(), 2, 2, true, true);
  checkClose(sep->apply(x), naiveConv(h, pk, bias, 1, 1, false, false));
}

TEST_CASE("Conv2D gradients: strides, paddings, odd and even sizes, the 1x1 path") {
  SeededRandom seeded(5);
  for (const auto& c : kWindowCases) {
    CAPTURE(c.kernel.dump());
    CAPTURE(c.strides.dump());
    CAPTURE(c.padding);
    auto conv = layer("Conv2D", {{"filters", 2},
                                 {"kernel_size", c.kernel},
                                 {"strides", c.strides},
                                 {"padding", c.padding},
                                 {"activation", "tanh"},
                                 {"bias_initializer", "random_uniform"}});
    checkLayerGradients(*conv, {randomTensor(c.input)}, false);
  }
}

TEST_CASE("convolution gradients through each kind of activation memo (none, y, z and y)") {
  SeededRandom seeded(13);
  for (const char* activation : {"linear", "sigmoid", "softmax", "swish"}) {
    for (const char* cls : {"Conv2D", "DepthwiseConv2D", "SeparableConv2D"}) {
      CAPTURE(activation);
      CAPTURE(cls);
      auto conv = layer(cls, {{"filters", 2}, {"kernel_size", 2}, {"activation", activation}});
      checkLayerGradients(*conv, {randomTensor({1, 3, 3, 2})}, false);
    }
  }
}

TEST_CASE("DepthwiseConv2D gradients, depth_multiplier 1 and 2") {
  SeededRandom seeded(6);
  for (int64_t multiplier : {1, 2}) {
    for (const auto& c : kWindowCases) {
      CAPTURE(multiplier);
      CAPTURE(c.kernel.dump());
      CAPTURE(c.strides.dump());
      CAPTURE(c.padding);
      auto dw = layer("DepthwiseConv2D", {{"kernel_size", c.kernel},
                                          {"strides", c.strides},
                                          {"padding", c.padding},
                                          {"depth_multiplier", multiplier},
                                          {"activation", "tanh"}});
      checkLayerGradients(*dw, {randomTensor(c.input)}, false);
    }
  }
}

TEST_CASE("SeparableConv2D gradients") {
  SeededRandom seeded(7);
  for (const char* padding : {"same", "valid"}) {
    for (int64_t stride : {1, 2}) {
      CAPTURE(padding);
      CAPTURE(stride);
      auto sep = layer("SeparableConv2D", {{"filters", 3},
                                           {"kernel_size", 3},
                                           {"strides", stride},
                                           {"padding", padding},
                                           {"depth_multiplier", 2},
                                           {"activation", "tanh"}});
      checkLayerGradients(*sep, {randomTensor({2, 6, 5, 2})}, false);
    }
  }
}

TEST_CASE("frozen convolutions compute no weight gradients, and nothing when no input needs one") {
  SeededRandom seeded(8);
  for (const char* cls : {"Conv2D", "DepthwiseConv2D", "SeparableConv2D"}) {
    CAPTURE(cls);
    auto conv = layer(cls, {{"filters", 2}, {"kernel_size", 3}, {"padding", "same"}});
    conv->setTrainable(false);
    const Tensor x = randomTensor({1, 4, 4, 2});
    CallContext ctx;
    ctx.record = true;
    ctx.inputsNeedGrad = {false};
    CHECK_FALSE(conv->apply({x}, ctx).backward);
    ctx.inputsNeedGrad = {true};
    LayerCall out = conv->apply({x}, ctx);
    REQUIRE(out.backward);
    Gradients grads;
    const auto dx = out.backward(randomTensor(out.output.shape()), grads);
    CHECK(grads.empty());
    CHECK(dx[0].shape() == x.shape());
  }
}

TEST_CASE("ZeroPadding2D refuses a padding or an input side it cannot add without overflow") {
  CHECK_THROWS_WITH_AS(layer("ZeroPadding2D", {{"padding", int64_t{1} << 40}}),
                       doctest::Contains("integers from 0 to 1048576"), ValueError);
  CHECK_THROWS_WITH_AS(layer("ZeroPadding2D", {{"padding", {{0, 9223372036854775807}, {0, 0}}}}),
                       doctest::Contains("padding"), ValueError);
  auto pad = layer("ZeroPadding2D", {{"padding", 16}});
  CHECK_THROWS_WITH_AS(pad->computeOutputShape({{-1, 9223372036854775807, 4, 3}}),
                       doctest::Contains("too large to pad"), ValueError);
}

TEST_CASE("ZeroPadding2D pads ((top, bottom), (left, right)) and crops its gradient") {
  SeededRandom seeded(9);
  auto pad = layer("ZeroPadding2D", {{"padding", {{1, 2}, {0, 3}}}});
  const Tensor x({1, 2, 2, 1}, std::vector<float>{1, 2, 3, 4});
  const Tensor y = pad->apply(x);
  CHECK(y.shape() == Shape{1, 5, 5, 1});
  CHECK(y.toVector() == std::vector<float>{0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  checkLayerGradients(*pad, {randomTensor({2, 3, 4, 2})}, false);
  CHECK(layer("ZeroPadding2D", {{"padding", 2}})->computeOutputShape({{-1, 3, 4, 5}}) == Shape{-1, 7, 8, 5});
  CHECK(layer("ZeroPadding2D", {{"padding", {1, 2}}})->computeOutputShape({{-1, -1, 4, 5}}) == Shape{-1, -1, 8, 5});
  CHECK(layer("ZeroPadding2D")->computeOutputShape({{-1, 3, 4, 5}}) == Shape{-1, 5, 6, 5});
}

TEST_CASE("output shapes, including unknown sizes") {
  SeededRandom seeded(10);
  auto conv = layer("Conv2D", {{"filters", 8}, {"kernel_size", 3}, {"strides", 2}, {"padding", "same"}});
  CHECK(conv->computeOutputShape({{-1, 7, 8, 3}}) == Shape{-1, 4, 4, 8});
  CHECK(conv->computeOutputShape({{-1, -1, -1, 3}}) == Shape{-1, -1, -1, 8});
  auto valid = layer("DepthwiseConv2D", {{"kernel_size", 3}, {"depth_multiplier", 2}});
  CHECK(valid->computeOutputShape({{2, 7, 5, 3}}) == Shape{2, 5, 3, 6});
}

TEST_CASE("convolution configs round-trip, including TF.js model.json spellings") {
  SeededRandom seeded(11);
  const Json tfjs = {{"name", "conv_tfjs"},
                     {"trainable", true},
                     {"filters", 4},
                     {"kernel_size", {3, 3}},
                     {"strides", {2, 2}},
                     {"padding", "same"},
                     {"data_format", "channels_last"},
                     {"dilation_rate", {1, 1}},
                     {"activation", "relu6"},
                     {"use_bias", false},
                     {"kernel_initializer", {{"class_name", "GlorotUniform"}, {"config", {{"seed", nullptr}}}}},
                     {"bias_initializer", {{"class_name", "Zeros"}, {"config", Json::object()}}},
                     {"kernel_regularizer", nullptr}};
  auto fromTfjs = layer("Conv2D", tfjs);
  CHECK(fromTfjs->getConfig()["kernel_size"] == Json{3, 3});
  CHECK(fromTfjs->getConfig()["activation"] == "relu6");
  checkRoundTrip(fromTfjs, {randomTensor({1, 5, 5, 2})});
  checkRoundTrip(layer("Conv2D", {{"filters", 2}, {"kernel_size", {3, 1}}, {"activation", "tanh"}}),
                 {randomTensor({1, 5, 5, 2})});
  checkRoundTrip(layer("DepthwiseConv2D", {{"kernel_size", 3},
                                           {"strides", {2, 2}},
                                           {"padding", "same"},
                                           {"depth_multiplier", 2},
                                           {"depthwise_initializer", "he_uniform"}}),
                 {randomTensor({1, 5, 5, 2})});
  checkRoundTrip(
      layer("SeparableConv2D", {{"filters", 3}, {"kernel_size", 3}, {"padding", "SAME"}, {"use_bias", false}}),
      {randomTensor({1, 4, 4, 2})});
  checkRoundTrip(layer("ZeroPadding2D", {{"padding", {{1, 0}, {2, 3}}}}), {randomTensor({1, 2, 3, 1})});
  auto dw = layer("DepthwiseConv2D", {{"kernel_size", 3}});
  dw->build({{-1, 4, 4, 3}});
  CHECK(dw->weights()[0]->name() == dw->name() + "/depthwise_kernel");
}

TEST_CASE("bad convolution configs and inputs name the layer and the problem") {
  SeededRandom seeded(12);
  const Json base = {{"name", "c"}, {"filters", 2}, {"kernel_size", 3}};
  auto with = [&](const char* key, const Json& value) {
    Json config = base;
    config[key] = value;
    return config;
  };
  CHECK_THROWS_WITH_AS(layer("Conv2D", with("data_format", "channels_first")),
                       doctest::Contains("Conv2D 'c': unsupported data_format 'channels_first'"), ValueError);
  CHECK_THROWS_WITH_AS(layer("Conv2D", with("dilation_rate", 2)),
                       doctest::Contains("Conv2D 'c': unsupported dilation_rate 2 (only 1 is supported)"), ValueError);
  CHECK_THROWS_WITH_AS(layer("DepthwiseConv2D", with("dilation_rate", {2, 2})),
                       doctest::Contains("DepthwiseConv2D 'c': unsupported dilation_rate [2,2]"), ValueError);
  CHECK_THROWS_WITH_AS(layer("SeparableConv2D", with("data_format", "channels_first")),
                       doctest::Contains("SeparableConv2D 'c': unsupported data_format"), ValueError);
  CHECK_THROWS_WITH_AS(layer("Conv2D", with("padding", "causal")),
                       doctest::Contains("Conv2D 'c': unsupported padding 'causal' (supported: same, valid)"),
                       ValueError);
  CHECK_THROWS_WITH_AS(layer("Conv2D", with("strides", {1, 2, 3})),
                       doctest::Contains("Conv2D 'c': option 'strides' must be an integer or a list of 2 integers"),
                       ValueError);
  CHECK_THROWS_WITH_AS(layer("Conv2D", with("kernel_size", 0)),
                       doctest::Contains("Conv2D 'c': option 'kernel_size' must be positive"), ValueError);
  CHECK_THROWS_WITH_AS(layer("Conv2D", {{"name", "c"}, {"kernel_size", 3}}),
                       doctest::Contains("Conv2D 'c': 'filters' must be a positive integer"), ValueError);
  CHECK_THROWS_WITH_AS(layer("Conv2D", {{"name", "c"}, {"filters", 3}}),
                       doctest::Contains("Conv2D 'c': 'kernel_size' is required"), ValueError);
  CHECK_THROWS_WITH_AS(layer("DepthwiseConv2D", with("depth_multiplier", 0)),
                       doctest::Contains("DepthwiseConv2D 'c': 'depth_multiplier' must be a positive integer"),
                       ValueError);
  CHECK_THROWS_WITH_AS(layer("ZeroPadding2D", {{"name", "c"}, {"padding", {1, 2, 3}}}),
                       doctest::Contains("ZeroPadding2D 'c': option 'padding' must be"), ValueError);

  auto conv = layer("Conv2D", base);
  CHECK_THROWS_WITH_AS(conv->apply(randomTensor({2, 5, 3})),
                       "Conv2D 'c': expects a 4D input [batch, height, width, channels], got shape [None, 5, 3]",
                       ValueError);
  CHECK_THROWS_WITH_AS(conv->apply(randomTensor({1, 2, 5, 1})),
                       doctest::Contains("Conv2D 'c': input [None, 2, 5, 1] is smaller than its 3x3 window"),
                       ValueError);
  conv->apply(randomTensor({1, 4, 4, 3}));
  CHECK_THROWS_WITH_AS(conv->apply(randomTensor({1, 4, 4, 2})),
                       "Conv2D 'c': expects 3 input channels, got shape [1, 4, 4, 2]", ValueError);
  CHECK_THROWS_WITH_AS(layer("DepthwiseConv2D", base)->computeOutputShape({{-1, 4, 4, -1}}),
                       doctest::Contains("DepthwiseConv2D 'c': the channel dimension must be known"), ValueError);
}
