#include "training/optimizers/sgd.h"

#include "util/errors.h"

namespace tanuki {

Sgd::Sgd(std::shared_ptr<LearningRateSchedule> lr, float momentum, bool nesterov)
    : Optimizer(std::move(lr)), momentum_(momentum), nesterov_(nesterov) {
  if (momentum < 0 || momentum > 1) fail<ValueError>("SGD: momentum must be in [0, 1], got ", momentum);
}

void Sgd::update(float* __restrict w, const float* __restrict g, int64_t n, float lr, int64_t,
                 float* const* slots) const {
  if (momentum_ <= 0) {
    for (int64_t i = 0; i < n; ++i) w[i] -= lr * g[i];
    return;
  }
  float* __restrict m = slots[0];
  const float momentum = momentum_;
  if (nesterov_) {
    for (int64_t i = 0; i < n; ++i) {
      m[i] = momentum * m[i] - lr * g[i];
      w[i] += momentum * m[i] - lr * g[i];
    }
  } else {
    for (int64_t i = 0; i < n; ++i) {
      m[i] = momentum * m[i] - lr * g[i];
      w[i] += m[i];
    }
  }
}

Json Sgd::getConfig() const {
  Json c = Optimizer::getConfig();
  c["momentum"] = momentum_;
  c["nesterov"] = nesterov_;
  return c;
}

}  // namespace tanuki
