// Mean squared error: l_i = mean_j (yPred_ij - yTrue_ij)².
#pragma once

#include "training/losses/loss.h"

namespace tanuki {

class MeanSquaredError : public Loss {
 public:
  std::string name() const override { return "mean_squared_error"; }

 protected:
  void perSample(const Tensor& yTrue, const Tensor& yPred, float* l, Tensor* dl) const override;
};

}  // namespace tanuki
