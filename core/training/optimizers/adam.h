// Adam, and AdamW when weightDecay > 0 (decoupled decay, as Keras 3):
//   w -= lr * weightDecay * w                       (AdamW only)
//   m += (g - m) * (1 - beta1);  v += (g² - v) * (1 - beta2)
//   w -= lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon)
#pragma once

#include "training/optimizers/optimizer.h"

namespace tanuki {

class Adam : public Optimizer {
 public:
  Adam(std::shared_ptr<LearningRateSchedule> lr, float beta1, float beta2, float epsilon, float weightDecay);
  std::string className() const override { return weightDecay_ > 0 ? "AdamW" : "Adam"; }
  Json getConfig() const override;

 protected:
  int slotCount() const override { return 2; }
  void update(float* w, const float* g, int64_t n, float lr, int64_t step, float* const* slots) const override;

 private:
  float beta1_, beta2_, epsilon_, weightDecay_;
};

}  // namespace tanuki
