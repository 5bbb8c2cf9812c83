#include "layers/bias_activation.h"

#include <vector>

#include "layers/layer.h"

namespace tanuki {

BiasActivation::BiasActivation(const ConfigReader& config)
    : activation_(ActivationFunction::parse(config.getActivation("activation", "linear"))),
      useBias_(config.getBool("use_bias", true)),
      biasInitializer_(config.getInitializer("bias_initializer", "zeros")) {}

Tensor BiasActivation::forward(Tensor& z, bool biasAdded) const {
  const int64_t C = z.shape().back();
  const int64_t rows = z.size() / C;
  if (bias && !biasAdded) {
    const float* b = bias->value().data();
    float* zp = z.data();
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < C; ++c) zp[r * C + c] += b[c];
  }
  if (activation_.isLinear()) return z;
  Tensor y(z.shape());
  activation_.forward(z.data(), y.data(), z.size(), C);
  return y;
}

BiasActivation::Memo BiasActivation::remember(const Tensor& z, const Tensor& y) const {
  Memo memo;
  memo.trainBias = trains(bias);
  if (activation_.isLinear()) return memo;
  if (activation_.backwardNeedsInput()) memo.z = z;
  memo.y = y;
  return memo;
}

Tensor BiasActivation::backward(const Memo& memo, const Tensor& dy, Gradients& grads) const {
  Tensor dz = dy;
  if (!activation_.isLinear()) {
    dz = Tensor(dy.shape());
    activation_.backward(memo.z.data(), memo.y.data(), dy.data(), dz.data(), dz.size(), dz.shape().back());
  }
  if (memo.trainBias) {
    const int64_t C = dz.shape().back();
    const int64_t rows = dz.size() / C;
    std::vector<double> sum(static_cast<size_t>(C), 0.0);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < C; ++c) sum[c] += dz[r * C + c];
    Tensor db(Shape{C});
    for (int64_t c = 0; c < C; ++c) db[c] = static_cast<float>(sum[c]);
    grads.accumulate(bias, db);
  }
  return dz;
}

void BiasActivation::writeConfig(Json& config) const {
  config["activation"] = activation_.name();
  config["use_bias"] = useBias_;
  writeWeightConfig(config, "bias", biasInitializer_);
  config["activity_regularizer"] = nullptr;
}

}  // namespace tanuki
