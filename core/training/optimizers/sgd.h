// SGD with optional (Nesterov) momentum, as Keras 3:
//   m = momentum * m - lr * g
//   w += m                          (plain momentum)
//   w += momentum * m - lr * g      (Nesterov)
#pragma once

#include "training/optimizers/optimizer.h"

namespace tanuki {

class Sgd : public Optimizer {
 public:
  Sgd(std::shared_ptr<LearningRateSchedule> lr, float momentum, bool nesterov);
  std::string className() const override { return "SGD"; }
  Json getConfig() const override;

 protected:
  int slotCount() const override { return momentum_ > 0 ? 1 : 0; }
  void update(float* w, const float* g, int64_t n, float lr, int64_t step, float* const* slots) const override;

 private:
  float momentum_;
  bool nesterov_;
};

}  // namespace tanuki
