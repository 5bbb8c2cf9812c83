// Gradients: dLoss/dVariable accumulated during one backward pass, for the
// trainable variables only (frozen weights never get a gradient computed).
#pragma once

#include <functional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tensor/variable.h"

namespace tanuki {

class Gradients {
 public:
  // Adds g to the variable's gradient (a variable used twice gets the sum).
  void accumulate(const VariablePtr& variable, Tensor g);
  const Tensor* find(const Variable* variable) const;
  // In the order the variables were first seen.
  const std::vector<std::pair<VariablePtr, Tensor>>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<std::pair<VariablePtr, Tensor>> items_;
  std::unordered_map<const Variable*, size_t> index_;
};

// Runs one recorded forward call backwards: takes dLoss/dOutput, accumulates
// weight gradients and returns dLoss/dInput for each input (an undefined
// tensor where the input does not need one).
using BackwardFn = std::function<std::vector<Tensor>(const Tensor& dy, Gradients& grads)>;

}  // namespace tanuki
