#include "training/optimizers/adam.h"

#include <cmath>

#include "util/errors.h"

namespace tanuki {

Adam::Adam(std::shared_ptr<LearningRateSchedule> lr, float beta1, float beta2, float epsilon, float weightDecay)
    : Optimizer(std::move(lr)), beta1_(beta1), beta2_(beta2), epsilon_(epsilon), weightDecay_(weightDecay) {
  if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) fail<ValueError>("Adam: beta_1 and beta_2 must be in [0, 1)");
  if (epsilon < 0) fail<ValueError>("Adam: epsilon must be >= 0");
  if (weightDecay < 0) fail<ValueError>("AdamW: weight_decay must be >= 0");
}

void Adam::update(float* __restrict w, const float* __restrict g, int64_t n, float lr, int64_t step,
                  float* const* slots) const {
  float* __restrict m = slots[0];
  float* __restrict v = slots[1];
  const double t = static_cast<double>(step);
  const float alpha = static_cast<float>(lr * std::sqrt(1.0 - std::pow(beta2_, t)) / (1.0 - std::pow(beta1_, t)));
  const float decay = lr * weightDecay_;
  const float keep1 = 1 - beta1_, keep2 = 1 - beta2_, epsilon = epsilon_;
  // Loops without a branch or a member read inside, so that they vectorize.
  if (decay > 0)
    for (int64_t i = 0; i < n; ++i) w[i] -= decay * w[i];
  for (int64_t i = 0; i < n; ++i) {
    m[i] += (g[i] - m[i]) * keep1;
    v[i] += (g[i] * g[i] - v[i]) * keep2;
    w[i] -= alpha * m[i] / (std::sqrt(v[i]) + epsilon);
  }
}

Json Adam::getConfig() const {
  Json c = Optimizer::getConfig();
  c["beta_1"] = beta1_;
  c["beta_2"] = beta2_;
  c["epsilon"] = epsilon_;
  if (weightDecay_ > 0) c["weight_decay"] = weightDecay_;
  return c;
}

}  // namespace tanuki
