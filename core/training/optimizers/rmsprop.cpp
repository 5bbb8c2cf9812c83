#include "training/optimizers/rmsprop.h"

#include <cmath>

#include "util/errors.h"

namespace tanuki {

RmsProp::RmsProp(std::shared_ptr<LearningRateSchedule> lr, float rho, float momentum, float epsilon)
    : Optimizer(std::move(lr)), rho_(rho), momentum_(momentum), epsilon_(epsilon) {
  if (rho < 0 || rho >= 1) fail<ValueError>("RMSprop: rho must be in [0, 1)");
  if (momentum < 0 || momentum >= 1) fail<ValueError>("RMSprop: momentum must be in [0, 1)");
}

void RmsProp::update(float* __restrict w, const float* __restrict g, int64_t n, float lr, int64_t,
                     float* const* slots) const {
  float* __restrict v = slots[0];
  const float rho = rho_, momentum = momentum_, epsilon = epsilon_;
  for (int64_t i = 0; i < n; ++i) v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
  if (momentum > 0) {
    float* __restrict m = slots[1];
    for (int64_t i = 0; i < n; ++i) {
      m[i] = momentum * m[i] + lr * g[i] / std::sqrt(v[i] + epsilon);
      w[i] -= m[i];
    }
  } else {
    for (int64_t i = 0; i < n; ++i) w[i] -= lr * g[i] / std::sqrt(v[i] + epsilon);
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
