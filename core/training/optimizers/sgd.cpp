#include "training/optimizers/sgd.h"

#include "util/errors.h"

namespace tanuki {

Sgd::Sgd(std::shared_ptr<LearningRateSchedule> lr, float momentum, bool nesterov)
    : Optimizer(std::move(lr)), momentum_(momentum), nesterov_(nesterov) {
  if (momentum < 0 || momentum > 1) fail<ValueError>("SGD: momentum must be in [0, 1], got ", momentum);
}

void Sgd::update(float* w, const float* g, int64_t n, float lr, int64_t, std::vector<float*>& slots) {
  if (momentum_ <= 0) {
    for (int64_t i = 0; i < n; ++i) w[i] -= lr * g[i];
    return;
  }
  float* m = slots[0];
  for (int64_t i = 0; i < n; ++i) {
    m[i] = momentum_ * m[i] - lr * g[i];
    w[i] += nesterov_ ? momentum_ * m[i] - lr * g[i] : m[i];
  }
}

Json Sgd::getConfig() const {
  Json c = Optimizer::getConfig();
  c["momentum"] = momentum_;
  c["nesterov"] = nesterov_;
  return c;
}

}  // namespace tanuki
