#include "layers/convolutional/zero_padding2d.h"

#include <algorithm>
#include <limits>

#include "layers/convolutional/conv_options.h"
#include "layers/convolutional/spatial_shape.h"
#include "layers/layer_registration.h"
#include "util/errors.h"

namespace tanuki {

namespace {
// Far beyond any image, and small enough that adding two of them to a side
// cannot overflow.
constexpr int64_t kMaxPadding = int64_t{1} << 20;

bool isCount(const Json& v) {
  return v.is_number_integer() && v.get<int64_t>() >= 0 && v.get<int64_t>() <= kMaxPadding;
}
bool isCountPair(const Json& v) { return v.is_array() && v.size() == 2 && isCount(v[0]) && isCount(v[1]); }

// Copies rows of C floats between an image and its padded version:
// from `src` [H, W, C] into the window of `dst` [H + top + bottom, W + left + right, C]
// starting at (top, left), or the reverse when `crop`.
void copyImage(const float* src, float* dst, int64_t H, int64_t W, int64_t C, int64_t top, int64_t left,
               int64_t paddedW, bool crop) {
  for (int64_t y = 0; y < H; ++y) {
    const int64_t small = y * W * C, big = ((y + top) * paddedW + left) * C;
    if (crop) {
      std::copy(src + big, src + big + W * C, dst + small);
    } else {
      std::copy(src + small, src + small + W * C, dst + big);
    }
  }
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
  Tensor y(Shape{N, paddedH, paddedW, C});
  for (int64_t n = 0; n < N; ++n)
    copyImage(x.data() + n * H * W * C, y.data() + n * paddedH * paddedW * C, H, W, C, p.top, p.left, paddedW, false);

  LayerCall result{y, {}};
  if (!ctx.record || !ctx.inputNeedsGrad(0)) return result;
  result.backward = [p, N, H, W, C, paddedH, paddedW](const Tensor& dy, Gradients&) {
    Tensor dx(Shape{N, H, W, C});
    for (int64_t n = 0; n < N; ++n)
      copyImage(dy.data() + n * paddedH * paddedW * C, dx.data() + n * H * W * C, H, W, C, p.top, p.left, paddedW,
                true);
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
