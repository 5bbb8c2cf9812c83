#include "training/optimizers/learning_rate_schedule.h"

#include <algorithm>
#include <cmath>

#include "util/errors.h"

namespace tanuki {

ConstantLearningRate::ConstantLearningRate(float lr) : lr_(lr) {
  if (!(lr >= 0) || !std::isfinite(lr)) fail<ValueError>("learning rate must be a finite number >= 0, got ", lr);
}

ExponentialDecay::ExponentialDecay(float initial, int64_t decaySteps, float decayRate, bool staircase)
    : initial_(initial), decaySteps_(decaySteps), decayRate_(decayRate), staircase_(staircase) {
  if (decaySteps <= 0) fail<ValueError>("ExponentialDecay: decaySteps must be positive");
  if (!(decayRate > 0)) fail<ValueError>("ExponentialDecay: decayRate must be positive");
}

float ExponentialDecay::at(int64_t step) const {
  double p = static_cast<double>(step) / static_cast<double>(decaySteps_);
  if (staircase_) p = std::floor(p);
  return static_cast<float>(initial_ * std::pow(static_cast<double>(decayRate_), p));
}

Json ExponentialDecay::getConfig() const {
  return {{"class_name", "ExponentialDecay"},
          {"config",
           {{"initial_learning_rate", initial_},
            {"decay_steps", decaySteps_},
            {"decay_rate", decayRate_},
            {"staircase", staircase_}}}};
}

CosineDecay::CosineDecay(float initial, int64_t decaySteps, float alpha)
    : initial_(initial), decaySteps_(decaySteps), alpha_(alpha) {
  if (decaySteps <= 0) fail<ValueError>("CosineDecay: decaySteps must be positive");
}

float CosineDecay::at(int64_t step) const {
  const double t = static_cast<double>(std::min(step, decaySteps_)) / static_cast<double>(decaySteps_);
  const double cosine = 0.5 * (1.0 + std::cos(M_PI * t));
  return static_cast<float>(initial_ * ((1.0 - alpha_) * cosine + alpha_));
}

Json CosineDecay::getConfig() const {
  return {{"class_name", "CosineDecay"},
          {"config", {{"initial_learning_rate", initial_}, {"decay_steps", decaySteps_}, {"alpha", alpha_}}}};
}

std::shared_ptr<LearningRateSchedule> makeLearningRateSchedule(const Json& spec) {
  if (spec.is_number()) return std::make_shared<ConstantLearningRate>(spec.get<float>());
  if (!spec.is_object() || !spec.contains("class_name") || !spec["class_name"].is_string())
    fail<ValueError>("learning rate must be a number or a schedule {class_name, config}, got ", spec.dump());
  const std::string kind = spec["class_name"].get<std::string>();
  const Json config = spec.value("config", Json::object());
  ConfigReader c(config, kind);
  const float initial = static_cast<float>(c.getDouble("initial_learning_rate", 0.01));
  if (kind == "ExponentialDecay")
    return std::make_shared<ExponentialDecay>(initial, c.getInt("decay_steps", 0),
                                              static_cast<float>(c.getDouble("decay_rate", 0)),
                                              c.getBool("staircase", false));
  if (kind == "CosineDecay")
    return std::make_shared<CosineDecay>(initial, c.getInt("decay_steps", 0),
                                         static_cast<float>(c.getDouble("alpha", 0)));
  fail<ValueError>("unknown learning-rate schedule '", kind, "' (known: ExponentialDecay, CosineDecay)");
}

}  // namespace tanuki
