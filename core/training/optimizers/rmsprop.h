// RMSprop, as Keras 3:
//   v = rho * v + (1 - rho) * g²
//   step = lr * g / sqrt(v + epsilon)
//   w -= step, or with momentum: m = momentum * m + step; w -= m
#pragma once

#include "training/optimizers/optimizer.h"

namespace tanuki {

class RmsProp : public Optimizer {
 public:
  RmsProp(std::shared_ptr<LearningRateSchedule> lr, float rho, float momentum, float epsilon);
  std::string className() const override { return "RMSprop"; }
  Json getConfig() const override;

 protected:
  int slotCount() const override { return momentum_ > 0 ? 2 : 1; }
  void update(float* w, const float* g, int64_t n, float lr, int64_t step, float* const* slots) const override;

 private:
  float rho_, momentum_, epsilon_;
};

}  // namespace tanuki
