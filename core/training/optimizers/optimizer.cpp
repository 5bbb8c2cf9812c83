#include "training/optimizers/optimizer.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "training/optimizers/adam.h"
#include "training/optimizers/rmsprop.h"
#include "training/optimizers/sgd.h"
#include "util/errors.h"

namespace tanuki {

Optimizer::Optimizer(std::shared_ptr<LearningRateSchedule> learningRate) : learningRate_(std::move(learningRate)) {}

Json Optimizer::getConfig() const { return {{"learning_rate", learningRate_->getConfig()}}; }

void Optimizer::applyGradients(const std::vector<std::pair<VariablePtr, Tensor>>& gradsAndVars) {
  for (const auto& [v, g] : gradsAndVars)
    if (g.shape() != v->shape())
      fail<ValueError>("gradient of shape ", shapeToString(g.shape()), " does not match variable '", v->name(),
                       "' of shape ", shapeToString(v->shape()));
  const float lr = currentLearningRate();
  const int64_t step = iterations_ + 1;
  struct Saved {
    Variable* variable;
    Tensor value;
    std::vector<Tensor> slots;
  };
  std::vector<Saved> saved;
  bool finite = true;
  // Forget the state of variables that no longer exist.
  for (auto it = slots_.begin(); it != slots_.end();)
    it = it->second.owner.expired() ? slots_.erase(it) : std::next(it);
  for (const auto& [v, g] : gradsAndVars) {
    State& state = slots_[v.get()];
    if (state.owner.expired()) state = State{v, {}};
    auto& slots = state.slots;
    if (slots.empty())
      for (int i = 0; i < slotCount(); ++i) slots.emplace_back(v->shape());
    Saved backup{v.get(), v->value().clone(), {}};
    for (auto& s : slots) backup.slots.push_back(s.clone());
    saved.push_back(std::move(backup));
    std::vector<float*> slotData;
    for (auto& s : slots) slotData.push_back(s.data());
    float* w = v->mutableValue().data();
    update(w, g.data(), g.size(), lr, step, slotData);
    for (int64_t i = 0; i < g.size() && finite; ++i) finite = std::isfinite(w[i]);
    if (!finite) break;
  }
  if (!finite) {
    for (auto& b : saved) {
      b.variable->mutableValue() = b.value;
      slots_[b.variable].slots = b.slots;
    }
    fail<DivergedError>("the update would make weight '", saved.back().variable->name(),
                        "' NaN or infinite; the step was not applied (try a lower learning rate)");
  }
  ++iterations_;
}

std::shared_ptr<Optimizer> makeOptimizer(const std::string& rawName, const Json& config) {
  std::string name;
  for (char c : rawName) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ConfigReader c(config.is_null() ? Json::object() : config, rawName);
  auto schedule = [&](double fallback) {
    return makeLearningRateSchedule(c.has("learning_rate") ? c.raw()["learning_rate"] : Json(fallback));
  };
  if (name == "sgd")
    return std::make_shared<Sgd>(schedule(0.01), static_cast<float>(c.getDouble("momentum", 0.0)),
                                 c.getBool("nesterov", false));
  if (name == "adam" || name == "adamw") {
    const float wd = static_cast<float>(c.getDouble("weight_decay", name == "adamw" ? 0.004 : 0.0));
    return std::make_shared<Adam>(schedule(0.001), static_cast<float>(c.getDouble("beta_1", 0.9)),
                                  static_cast<float>(c.getDouble("beta_2", 0.999)),
                                  static_cast<float>(c.getDouble("epsilon", 1e-7)), wd);
  }
  if (name == "rmsprop")
    return std::make_shared<RmsProp>(schedule(0.001), static_cast<float>(c.getDouble("rho", 0.9)),
                                     static_cast<float>(c.getDouble("momentum", 0.0)),
                                     static_cast<float>(c.getDouble("epsilon", 1e-7)));
  fail<ValueError>("unknown optimizer '", rawName, "' (known: sgd, adam, adamw, rmsprop)");
}

}  // namespace tanuki
