#include "layers/normalization/batch_normalization.h"

#include <cmath>

#include "kernels/batch_norm/batch_norm.h"
#include "kernels/common/epilogue.h"
#include "layers/layer_registration.h"
#include "util/errors.h"

namespace tanuki {

BatchNormalization::BatchNormalization(const ConfigReader& config)
    : Layer(config, "batch_normalization"),
      momentum_(static_cast<float>(config.getDouble("momentum", 0.99))),
      epsilon_(static_cast<float>(config.getDouble("epsilon", 1e-3))),
      center_(config.getBool("center", true)),
      scale_(config.getBool("scale", true)),
      betaInit_(config.getInitializer("beta_initializer", "zeros")),
      gammaInit_(config.getInitializer("gamma_initializer", "ones")),
      meanInit_(config.getInitializer("moving_mean_initializer", "zeros")),
      varianceInit_(config.getInitializer("moving_variance_initializer", "ones")) {
  if (config.has("axis")) {
    const Json& axis = config.raw()["axis"];
    const Json& a = axis.is_array() && axis.size() == 1 ? axis[0] : axis;
    if (!a.is_number_integer())
      fail<ValueError>("BatchNormalization '", name(), "': only a single (last) axis is supported, got ", axis.dump());
    axis_ = a.get<int64_t>();
  }
  if (epsilon_ <= 0) fail<ValueError>("BatchNormalization '", name(), "': epsilon must be positive");
}

Shape BatchNormalization::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  if (in.size() < 2) shapeError("expects input of rank >= 2, got " + shapeToString(in));
  if (axis_ != -1 && axis_ != static_cast<int64_t>(in.size()) - 1)
    shapeError("only the last axis (channels last) is supported, got axis " + std::to_string(axis_));
  if (in.back() <= 0) shapeError("the channel dimension must be known, got " + shapeToString(in));
  if (movingMean_ && in.back() != movingMean_->shape()[0])
    shapeError("expects " + std::to_string(movingMean_->shape()[0]) + " channels, got shape " + shapeToString(in));
  return in;
}

void BatchNormalization::onBuild(const std::vector<Shape>& inputShapes) {
  const Shape channels{inputShapes[0].back()};
  if (scale_) gamma_ = addWeight("gamma", channels, gammaInit_, true);
  if (center_) beta_ = addWeight("beta", channels, betaInit_, true);
  movingMean_ = addWeight("moving_mean", channels, meanInit_, false);
  movingVariance_ = addWeight("moving_variance", channels, varianceInit_, false);
}

LayerCall BatchNormalization::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  return (ctx.training && trainable()) ? callTraining(inputs[0], ctx) : callInference(inputs[0], ctx);
}

ChannelAffine BatchNormalization::channelAffine() const {
  const int64_t C = movingMean_->shape()[0];
  ChannelAffine affine{std::vector<double>(C), std::vector<double>(C)};
  for (int64_t c = 0; c < C; ++c) {
    const double gamma = gamma_ ? gamma_->value()[c] : 1.0;
    affine.scale[c] = gamma / std::sqrt(static_cast<double>(movingVariance_->value()[c]) + epsilon_);
    affine.shift[c] = (beta_ ? beta_->value()[c] : 0.0) - movingMean_->value()[c] * affine.scale[c];
  }
  return affine;
}

void BatchNormalization::accumulateScaleShift(const std::vector<double>& sumDyXhat, const std::vector<double>& sumDy,
                                              Gradients& grads) const {
  const int64_t C = static_cast<int64_t>(sumDy.size());
  if (trains(gamma_)) {
    Tensor dg(Shape{C});
    for (int64_t c = 0; c < C; ++c) dg[c] = static_cast<float>(sumDyXhat[c]);
    grads.accumulate(gamma_, dg);
  }
  if (trains(beta_)) {
    Tensor db(Shape{C});
    for (int64_t c = 0; c < C; ++c) db[c] = static_cast<float>(sumDy[c]);
    grads.accumulate(beta_, db);
  }
}

LayerCall BatchNormalization::callInference(const Tensor& x, const CallContext& ctx) {
  const int64_t C = x.shape().back();
  const int64_t rows = x.size() / C;
  const ChannelAffine affine = channelAffine();
  const std::vector<float> a(affine.scale.begin(), affine.scale.end()), b(affine.shift.begin(), affine.shift.end());
  Tensor y = Tensor::uninitialized(x.shape());
  kernels::affineRows(x.data(), rows, C, a.data(), b.data(), y.data());

  LayerCall result{y, {}};
  if (!needsBackward(ctx)) return result;
  const bool needDx = ctx.inputNeedsGrad(0);
  const bool trainScaleShift = trains(gamma_) || trains(beta_);
  result.backward = [this, x, a, C, rows, needDx, trainScaleShift](const Tensor& dy, Gradients& grads) {
    if (trainScaleShift) {
      // xhat = (x - mean) / sqrt(var + eps) with the moving statistics.
      std::vector<double> sumDy(C), sumDyXhat(C);  // Σ dy, then Σ dy * (x - mean), then Σ dy * xhat
      kernels::channelSums(dy.data(), x.data(), movingMean_->value().data(), rows, C, sumDy.data(), sumDyXhat.data());
      for (int64_t c = 0; c < C; ++c)
        sumDyXhat[c] /= std::sqrt(static_cast<double>(movingVariance_->value()[c]) + epsilon_);
      accumulateScaleShift(sumDyXhat, sumDy, grads);
    }
    std::vector<Tensor> dx(1);
    if (needDx) {
      dx[0] = Tensor::uninitialized(x.shape());
      kernels::affineRows(dy.data(), rows, C, a.data(), nullptr, dx[0].data());
    }
    return dx;
  };
  return result;
}

LayerCall BatchNormalization::callTraining(const Tensor& x, const CallContext& ctx) {
  const int64_t C = x.shape().back();
  const int64_t rows = x.size() / C;
  if (rows == 0)
    fail<ValueError>("BatchNormalization '", name(), "': cannot compute batch statistics of an empty batch");
  std::vector<double> mean(C), var(C);  // var: biased, as Keras normalizes with
  kernels::channelMeanVariance(x.data(), rows, C, mean.data(), var.data());
  // y = xhat * gamma + beta with xhat = (x - mean) * invStd, as one affine map.
  std::vector<double> invStd(C);
  std::vector<float> a(C), b(C);
  for (int64_t c = 0; c < C; ++c) {
    invStd[c] = 1.0 / std::sqrt(var[c] + epsilon_);
    const double scale = (gamma_ ? gamma_->value()[c] : 1.0) * invStd[c];
    a[c] = static_cast<float>(scale);
    b[c] = static_cast<float>((beta_ ? beta_->value()[c] : 0.0) - mean[c] * scale);
  }
  Tensor y = Tensor::uninitialized(x.shape());
  const kernels::Epilogue unclamped;
  const float lo = ctx.clamp ? ctx.clamp->lo : unclamped.lo, hi = ctx.clamp ? ctx.clamp->hi : unclamped.hi;
  kernels::affineRows(x.data(), rows, C, a.data(), b.data(), y.data(), lo, hi);
  // moving = moving * momentum + batch * (1 - momentum)
  float* mm = movingMean_->mutableValue().data();
  float* mv = movingVariance_->mutableValue().data();
  for (int64_t c = 0; c < C; ++c) {
    mm[c] = mm[c] * momentum_ + static_cast<float>(mean[c]) * (1 - momentum_);
    mv[c] = mv[c] * momentum_ + static_cast<float>(var[c]) * (1 - momentum_);
  }

  LayerCall result{y, {}};
  if (!needsBackward(ctx)) return result;
  const bool needDx = ctx.inputNeedsGrad(0);
  // Keeps x (which nothing else needs once this layer has run) rather than a
  // normalized copy: xhat is recomputed per channel from the batch statistics.
  // With a clamp, dy reaches the affine map only where it did not clamp:
  // the gate recomputes x * a + b from the kept x.
  const bool clamped = ctx.clamp.has_value();
  result.backward = [this, x, mean = std::vector<float>(mean.begin(), mean.end()), invStd, C, rows, needDx, a, b, lo,
                     hi, clamped](const Tensor& dy, Gradients& grads) {
    const kernels::ClampGate clamp{a.data(), b.data(), lo, hi};
    const kernels::ClampGate* gate = clamped ? &clamp : nullptr;
    std::vector<double> sumDy(C), sumDyXhat(C);
    kernels::channelSums(dy.data(), x.data(), mean.data(), rows, C, sumDy.data(), sumDyXhat.data(), gate);
    for (int64_t c = 0; c < C; ++c) sumDyXhat[c] *= invStd[c];
    accumulateScaleShift(sumDyXhat, sumDy, grads);
    std::vector<Tensor> dx(1);
    if (needDx) {
      // dx = gamma * invStd / N * (N dy - Σdy - xhat Σ(dy xhat))
      //    = p dy + q (x - mean) + s per channel, with xhat = (x - mean) * invStd.
      dx[0] = Tensor::uninitialized(x.shape());
      const double n = static_cast<double>(rows);
      std::vector<float> p(C), q(C), s(C);
      for (int64_t c = 0; c < C; ++c) {
        const double k = (gamma_ ? gamma_->value()[c] : 1.0) * invStd[c] / n;
        const double qc = -k * sumDyXhat[c] * invStd[c];
        p[c] = static_cast<float>(k * n);
        q[c] = static_cast<float>(qc);
        s[c] = static_cast<float>(-k * sumDy[c]);
      }
      kernels::combineRows(dy.data(), x.data(), mean.data(), rows, C, p.data(), q.data(), s.data(), dx[0].data(), gate);
    }
    return dx;
  };
  return result;
}

Json BatchNormalization::getConfig() const {
  Json c = Layer::getConfig();
  c["axis"] = -1;
  c["momentum"] = momentum_;
  c["epsilon"] = epsilon_;
  c["center"] = center_;
  c["scale"] = scale_;
  c["beta_initializer"] = initializerConfig(betaInit_);
  c["gamma_initializer"] = initializerConfig(gammaInit_);
  c["moving_mean_initializer"] = initializerConfig(meanInit_);
  c["moving_variance_initializer"] = initializerConfig(varianceInit_);
  c["beta_regularizer"] = nullptr;
  c["gamma_regularizer"] = nullptr;
  c["beta_constraint"] = nullptr;
  c["gamma_constraint"] = nullptr;
  return c;
}

template <>
LayerRegistration registration<BatchNormalization>() {
  return {"BatchNormalization",
          createAs<BatchNormalization>,
          {LayerExample{{{"momentum", 0.5}}, {{6, 3}}},
           LayerExample{{{"center", false}, {"epsilon", 0.01}}, {{2, 3, 3, 2}}}}};
}

}  // namespace tanuki
