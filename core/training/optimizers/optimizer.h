// Optimizer: applies gradients to variables, keeping per-variable state
// ("slots": momentum, moment estimates) created on first use.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "layers/config/config_reader.h"
#include "tensor/variable.h"
#include "training/optimizers/learning_rate_schedule.h"

namespace tanuki {

class Optimizer {
 public:
  explicit Optimizer(std::shared_ptr<LearningRateSchedule> learningRate);
  virtual ~Optimizer() = default;
  virtual std::string className() const = 0;
  virtual Json getConfig() const;

  // One step: every (variable, gradient) pair is updated, then iterations += 1.
  // The step is all or nothing: if it would make any weight NaN or infinite,
  // every variable and the optimizer's state are left as they were and
  // DivergedError is thrown. Each variable may appear once (ValueError).
  void applyGradients(const std::vector<std::pair<VariablePtr, Tensor>>& gradsAndVars);
  int64_t iterations() const { return iterations_; }
  float currentLearningRate() const { return learningRate_->at(iterations_); }
  void setLearningRate(std::shared_ptr<LearningRateSchedule> lr) { learningRate_ = std::move(lr); }

 protected:
  virtual int slotCount() const = 0;
  // The rule, in place on n values: the weights w, their gradient g and
  // slotCount() slots (zero-initialised on first use), none overlapping.
  // step is iterations + 1 (Adam's bias correction counts from 1). Called
  // from several threads at once on disjoint ranges.
  virtual void update(float* w, const float* g, int64_t n, float lr, int64_t step, float* const* slots) const = 0;

 private:
  std::shared_ptr<LearningRateSchedule> learningRate_;
  int64_t iterations_ = 0;
  // Per-variable state. The weak pointer tells a live variable from a new
  // one that happens to reuse a freed variable's address.
  struct State {
    std::weak_ptr<Variable> owner;
    std::vector<Tensor> slots;
  };
  std::unordered_map<const Variable*, State> slots_;
};

// By TF.js/Keras name ("sgd", "adam", "adamw", "rmsprop") with a config of
// Keras options (learning_rate, momentum, beta_1, ...).
std::shared_ptr<Optimizer> makeOptimizer(const std::string& name, const Json& config);

}  // namespace tanuki
