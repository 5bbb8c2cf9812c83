#include "layers/convolutional/zero_padding2d.h"

#include <algorithm>
#include <limits>

#include "layers/convolutional/conv_options.h"
#include "layers/convolutional/spatial_shape.h"
#include "layers/layer_registration.h"
#include "util/errors.h"
#include "util/thread_pool.h"

namespace tanuki {

namespace {
// Far beyond any image, and small enough that adding two of them to a side
// cannot overflow.
constexpr int64_t kMaxPadding = int64_t{1} << 20;

bool isCount(const Json& v) {
  return v.is_number_integer() && v.get<int64_t>() >= 0 && v.get<int64_t>() <= kMaxPadding;
}
bool isCountPair(const Json& v) { return v.is_array() && v.size() == 2 && isCount(v[0]) && isCount(v[1]); }

// Writes row `y` of the padded image `dst` [H + top + bottom, W + left + right, C]
// from `src` [H, W, C]: zeros in the padding, src's row y - top in the window.
void padRow(const float* src, float* dst, int64_t y, int64_t H, int64_t W, int64_t C, const kernels::Padding2D& p) {
  const int64_t paddedW = W + p.left + p.right;
  float* row = dst + y * paddedW * C;
  if (y < p.top || y >= p.top + H) {
    std::fill(row, row + paddedW * C, 0.0f);
    return;
  }
  std::fill(row, row + p.left * C, 0.0f);
  std::copy(src + (y - p.top) * W * C, src + (y - p.top + 1) * W * C, row + p.left * C);
  std::fill(row + (p.left + W) * C, row + paddedW * C, 0.0f);
}
}  // namespace

ZeroPadding2D::ZeroPadding2D(const ConfigReader& config) : Layer(config, "zero_padding2d") {
  const std::string label = layerLabel(config, name());
  requireChannelsLast(config, label);
  if (config.has("padding")) {
    const Json& p = config.raw()["padding"];
    if (isCount(p)) {
      padding_.top = padding_.bottom = padding_.left = padding_.right = p.get<int64_t>();
    } else if (isCountPair(p)) {
      padding_.top = padding_.bottom = p[0].get<int64_t>();
      padding_.left = padding_.right = p[1].get<int64_t>();
    } else if (p.is_array() && p.size() == 2 && isCountPair(p[0]) && isCountPair(p[1])) {
      padding_.top = p[0][0].get<int64_t>();
      padding_.bottom = p[0][1].get<int64_t>();
      padding_.left = p[1][0].get<int64_t>();
      padding_.right = p[1][1].get<int64_t>();
    } else {
      fail<ValueError>(label, ": option 'padding' must be n, [rows, cols] or [[top, bottom], [left, right]] of ",
                       "integers from 0 to ", kMaxPadding, ", got ", p.dump());
    }
  }
}

Shape ZeroPadding2D::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  checkImageInput(*this, in, -1, false);
  const kernels::Padding2D& p = padding_;
  // A side near the largest integer (a hostile shape) would overflow when padded.
  const auto padded = [&](int64_t side, int64_t before, int64_t after) -> int64_t {
    if (side < 0) return -1;
    if (side > std::numeric_limits<int64_t>::max() - before - after) {
      fail<ValueError>(className(), " '", name(), "': input side ", side, " is too large to pad");
    }
    return side + before + after;
  };
  return {in[0], padded(in[1], p.top, p.bottom), padded(in[2], p.left, p.right), in[3]};
}

LayerCall ZeroPadding2D::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const int64_t N = x.shape()[0], H = x.shape()[1], W = x.shape()[2], C = x.shape()[3];
  const kernels::Padding2D& p = padding_;
  const int64_t paddedH = H + p.top + p.bottom, paddedW = W + p.left + p.right;
  // Rows of every image are split over the pool; each is written once.
  Tensor y = Tensor::uninitialized(Shape{N, paddedH, paddedW, C});
  parallelFor(N * paddedH, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t n = r / paddedH;
      padRow(x.data() + n * H * W * C, y.data() + n * paddedH * paddedW * C, r % paddedH, H, W, C, p);
    }
  });

  LayerCall result{y, {}};
  if (!ctx.record || !ctx.inputNeedsGrad(0)) return result;
  result.backward = [p, N, H, W, C, paddedH, paddedW](const Tensor& dy, Gradients&) {
    Tensor dx = Tensor::uninitialized(Shape{N, H, W, C});
    parallelFor(N * H, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        const float* row = dy.data() + ((r / H * paddedH + r % H + p.top) * paddedW + p.left) * C;
        std::copy(row, row + W * C, dx.data() + r * W * C);
      }
    });
    return std::vector<Tensor>{dx};
  };
  return result;
}

Json ZeroPadding2D::getConfig() const {
  Json c = Layer::getConfig();
  const kernels::Padding2D& p = padding_;
  c["padding"] = Json::array({Json::array({p.top, p.bottom}), Json::array({p.left, p.right})});
  c["data_format"] = "channels_last";
  return c;
}

template <>
LayerRegistration registration<ZeroPadding2D>() {
  return {"ZeroPadding2D", createAs<ZeroPadding2D>, {LayerExample{{{"padding", {{1, 0}, {0, 2}}}}, {{2, 3, 3, 2}}}}};
}

}  // namespace tanuki
