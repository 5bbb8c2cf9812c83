#include "training/optimizers/rmsprop.h"

#include <cmath>

#include "util/errors.h"

namespace tanuki {

RmsProp::RmsProp(std::shared_ptr<LearningRateSchedule> lr, float rho, float momentum, float epsilon)
    : Optimizer(std::move(lr)), rho_(rho), momentum_(momentum), epsilon_(epsilon) {
  if (rho < 0 || rho >= 1) fail<ValueError>("RMSprop: rho must be in [0, 1)");
  if (momentum < 0 || momentum >= 1) fail<ValueError>("RMSprop: momentum must be in [0, 1)");
}

void RmsProp::update(float* w, const float* g, int64_t n, float lr, int64_t, std::vector<float*>& slots) {
  float* v = slots[0];
  for (int64_t i = 0; i < n; ++i) {
    v[i] = rho_ * v[i] + (1 - rho_) * g[i] * g[i];
    const float step = lr * g[i] / std::sqrt(v[i] + epsilon_);
    if (momentum_ > 0) {
      float* m = slots[1];
      m[i] = momentum_ * m[i] + step;
      w[i] -= m[i];
    } else {
      w[i] -= step;
    }
  }
}

Json RmsProp::getConfig() const {
  Json c = Optimizer::getConfig();
  c["rho"] = rho_;
  c["momentum"] = momentum_;
  c["epsilon"] = epsilon_;
  return c;
}

}  // namespace tanuki
