// Learning-rate schedules, evaluated at the optimizer's step count (Keras's
// optimizer.iterations): constant, exponential decay and cosine decay.
#pragma once

#include <cstdint>
#include <memory>

#include "layers/config/config_reader.h"

namespace tanuki {

class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule() = default;
  virtual float at(int64_t step) const = 0;
  virtual Json getConfig() const = 0;
};

class ConstantLearningRate : public LearningRateSchedule {
 public:
  explicit ConstantLearningRate(float lr);
  float at(int64_t) const override { return lr_; }
  Json getConfig() const override { return lr_; }

 private:
  float lr_;
};

// lr = initial * rate^(step / decaySteps), the exponent floored when staircase.
class ExponentialDecay : public LearningRateSchedule {
 public:
  ExponentialDecay(float initial, int64_t decaySteps, float decayRate, bool staircase);
  float at(int64_t step) const override;
  Json getConfig() const override;

 private:
  float initial_;
  int64_t decaySteps_;
  float decayRate_;
  bool staircase_;
};

// lr = initial * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decaySteps) / decaySteps)) + alpha)
class CosineDecay : public LearningRateSchedule {
 public:
  CosineDecay(float initial, int64_t decaySteps, float alpha);
  float at(int64_t step) const override;
  Json getConfig() const override;

 private:
  float initial_;
  int64_t decaySteps_;
  float alpha_;
};

// From a number or {"class_name": "ExponentialDecay"|"CosineDecay", "config": {...}}.
std::shared_ptr<LearningRateSchedule> makeLearningRateSchedule(const Json& spec);

}  // namespace tanuki
