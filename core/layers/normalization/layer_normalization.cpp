#include "layers/normalization/layer_normalization.h"

#include <algorithm>
#include <cmath>

#include "layers/layer_registration.h"
#include "util/errors.h"

namespace tanuki {

LayerNormalization::LayerNormalization(const ConfigReader& config)
    : Layer(config, "layer_normalization"),
      epsilon_(static_cast<float>(config.getDouble("epsilon", 1e-3))),
      center_(config.getBool("center", true)),
      scale_(config.getBool("scale", true)),
      betaInit_(config.getInitializer("beta_initializer", "zeros")),
      gammaInit_(config.getInitializer("gamma_initializer", "ones")) {
  const Json axis = config.has("axis") ? config.raw()["axis"] : Json(-1);
  axisIsList_ = axis.is_array();
  for (const Json& a : axisIsList_ ? axis : Json::array({axis})) {
    if (!a.is_number_integer())
      fail<ValueError>("LayerNormalization '", name(), "': 'axis' must be an integer or a list of integers, got ",
                       axis.dump());
    axes_.push_back(a.get<int64_t>());
  }
  if (axes_.empty()) fail<ValueError>("LayerNormalization '", name(), "': 'axis' must name at least one axis");
  if (epsilon_ <= 0) fail<ValueError>("LayerNormalization '", name(), "': epsilon must be positive");
}

int64_t LayerNormalization::normalizedRank(int64_t rank) const {
  std::vector<int64_t> axes;
  for (int64_t a : axes_) {
    const int64_t resolved = a < 0 ? a + rank : a;
    if (resolved < 1 || resolved >= rank)
      shapeError("axis " + std::to_string(a) + " is out of range for an input of rank " + std::to_string(rank) +
                 " (the batch axis cannot be normalized)");
    axes.push_back(resolved);
  }
  std::sort(axes.begin(), axes.end());
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  // The normalized dimensions must be the trailing ones: each example is then
  // rows of D contiguous values.
  const int64_t n = static_cast<int64_t>(axes.size());
  if (axes.front() != rank - n)
    shapeError("only trailing axes can be normalized (e.g. -1, or [-2, -1]), got axis " +
               Json(axisIsList_ ? Json(axes_) : Json(axes_[0])).dump());
  return n;
}

Shape LayerNormalization::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  if (in.size() < 2) shapeError("expects input of rank >= 2, got " + shapeToString(in));
  const int64_t n = normalizedRank(static_cast<int64_t>(in.size()));
  const Shape normalized(in.end() - n, in.end());
  for (int64_t d : normalized)
    if (d <= 0) shapeError("the normalized dimensions must be known, got " + shapeToString(in));
  const VariablePtr& param = gamma_ ? gamma_ : beta_;
  if (param && param->shape() != normalized)
    shapeError("expects normalized dimensions " + shapeToString(param->shape()) + ", got shape " + shapeToString(in));
  return in;
}

void LayerNormalization::onBuild(const std::vector<Shape>& inputShapes) {
  const Shape& in = inputShapes[0];
  const Shape normalized(in.end() - normalizedRank(static_cast<int64_t>(in.size())), in.end());
  if (scale_) gamma_ = addWeight("gamma", normalized, gammaInit_, true);
  if (center_) beta_ = addWeight("beta", normalized, betaInit_, true);
}

LayerCall LayerNormalization::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const int64_t n = normalizedRank(x.rank());
  int64_t D = 1;
  for (int64_t i = x.rank() - n; i < x.rank(); ++i) D *= x.dim(i);
  const int64_t rows = x.size() / D;
  const float* g = gamma_ ? gamma_->value().data() : nullptr;
  const float* b = beta_ ? beta_->value().data() : nullptr;

  // xhat = (x - mean) * invStd per row; y = xhat * gamma + beta.
  Tensor xhat = Tensor::uninitialized(x.shape());
  Tensor y = Tensor::uninitialized(x.shape());
  std::vector<float> invStd(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x.data() + r * D;
    double sum = 0, sumSq = 0;
    for (int64_t i = 0; i < D; ++i) sum += xr[i];
    const double mean = sum / static_cast<double>(D);
    for (int64_t i = 0; i < D; ++i) sumSq += (xr[i] - mean) * (xr[i] - mean);
    const double inv = 1.0 / std::sqrt(sumSq / static_cast<double>(D) + epsilon_);
    invStd[r] = static_cast<float>(inv);
    float* hr = xhat.data() + r * D;
    float* yr = y.data() + r * D;
    for (int64_t i = 0; i < D; ++i) {
      hr[i] = static_cast<float>((xr[i] - mean) * inv);
      yr[i] = hr[i] * (g ? g[i] : 1.0f) + (b ? b[i] : 0.0f);
    }
  }

  LayerCall result{y, {}};
  if (!needsBackward(ctx)) return result;
  const bool needDx = ctx.inputNeedsGrad(0);
  const bool trainGamma = trains(gamma_), trainBeta = trains(beta_);
  result.backward = [this, xhat, invStd, D, rows, needDx, trainGamma, trainBeta](const Tensor& dy, Gradients& grads) {
    // dGamma = Σ_rows dy * xhat, dBeta = Σ_rows dy.
    if (trainGamma || trainBeta) {
      std::vector<double> dg(static_cast<size_t>(D)), db(static_cast<size_t>(D));
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t i = 0; i < D; ++i) {
          dg[i] += static_cast<double>(dy[r * D + i]) * xhat[r * D + i];
          db[i] += dy[r * D + i];
        }
      if (trainGamma) grads.accumulate(gamma_, Tensor(gamma_->shape(), std::vector<float>(dg.begin(), dg.end())));
      if (trainBeta) grads.accumulate(beta_, Tensor(beta_->shape(), std::vector<float>(db.begin(), db.end())));
    }
    std::vector<Tensor> dx(1);
    if (!needDx) return dx;
    // With h = dy * gamma: dx = invStd * (h - mean(h) - xhat * mean(h * xhat)) per row.
    dx[0] = Tensor::uninitialized(dy.shape());
    const float* g = gamma_ ? gamma_->value().data() : nullptr;
    for (int64_t r = 0; r < rows; ++r) {
      const float* dyr = dy.data() + r * D;
      const float* hr = xhat.data() + r * D;
      double sumH = 0, sumHX = 0;
      for (int64_t i = 0; i < D; ++i) {
        const double h = static_cast<double>(dyr[i]) * (g ? g[i] : 1.0f);
        sumH += h;
        sumHX += h * hr[i];
      }
      const double meanH = sumH / static_cast<double>(D), meanHX = sumHX / static_cast<double>(D);
      float* dxr = dx[0].data() + r * D;
      for (int64_t i = 0; i < D; ++i) {
        const double h = static_cast<double>(dyr[i]) * (g ? g[i] : 1.0f);
        dxr[i] = static_cast<float>(invStd[r] * (h - meanH - hr[i] * meanHX));
      }
    }
    return dx;
  };
  return result;
}

Json LayerNormalization::getConfig() const {
  Json c = Layer::getConfig();
  c["axis"] = axisIsList_ ? Json(axes_) : Json(axes_[0]);
  c["epsilon"] = epsilon_;
  c["center"] = center_;
  c["scale"] = scale_;
  writeWeightConfig(c, "beta", betaInit_);
  writeWeightConfig(c, "gamma", gammaInit_);
  return c;
}

template <>
LayerRegistration registration<LayerNormalization>() {
  return {"LayerNormalization",
          createAs<LayerNormalization>,
          {LayerExample{Json::object(), {{4, 5}}},
           LayerExample{{{"axis", Json::array({-2, -1})}, {"epsilon", 0.01}}, {{2, 3, 4}}},
           LayerExample{{{"center", false}}, {{2, 3, 2, 3}}}}};
}

}  // namespace tanuki
