#include "layers/convolutional/bias_activation.h"

#include <vector>

namespace tanuki {

Tensor addBiasAndActivate(Tensor& z, const VariablePtr& bias, const ActivationFunction& f) {
  const int64_t C = z.shape().back();
  const int64_t rows = z.size() / C;
  if (bias) {
    const float* b = bias->value().data();
    float* zp = z.data();
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < C; ++c) zp[r * C + c] += b[c];
  }
  if (f.isLinear()) return z;
  Tensor y(z.shape());
  f.forward(z.data(), y.data(), z.size(), C);
  return y;
}

ActivationMemo rememberActivation(const ActivationFunction& f, const Tensor& z, const Tensor& y) {
  if (f.isLinear()) return {};
  return {f.backwardNeedsInput() ? z : Tensor(), y};
}

Tensor activationGradient(const ActivationFunction& f, const ActivationMemo& memo, const Tensor& dy) {
  if (f.isLinear()) return dy;
  Tensor dz(dy.shape());
  f.backward(memo.z.data(), memo.y.data(), dy.data(), dz.data(), dz.size(), dz.shape().back());
  return dz;
}

Tensor biasGradient(const Tensor& dz) {
  const int64_t C = dz.shape().back();
  const int64_t rows = dz.size() / C;
  std::vector<double> sum(static_cast<size_t>(C), 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < C; ++c) sum[c] += dz[r * C + c];
  Tensor db(Shape{C});
  for (int64_t c = 0; c < C; ++c) db[c] = static_cast<float>(sum[c]);
  return db;
}

}  // namespace tanuki
