#include "training/optimizers/optimizer.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "training/optimizers/adam.h"
#include "training/optimizers/rmsprop.h"
#include "training/optimizers/sgd.h"
#include "util/errors.h"
#include "util/thread_pool.h"

namespace tanuki {

Optimizer::Optimizer(std::shared_ptr<LearningRateSchedule> learningRate) : learningRate_(std::move(learningRate)) {}

Json Optimizer::getConfig() const { return {{"learning_rate", learningRate_->getConfig()}}; }

namespace {
// Values per piece of a variable: big variables split over the threads, and
// the dry run's copy of a piece (weights and slots) stays in cache.
constexpr int64_t kPieceValues = 8192;
// Below this many values in all, a step runs on the calling thread: waking
// the pool would cost more than it saves (a head trained on cached features
// takes thousands of steps of a few thousand values each).
constexpr int64_t kPoolValues = 1 << 17;

// Whether every value is finite; branch-free so that it vectorizes (x - x is
// 0 for a finite x and NaN for NaN or an infinity).
bool allFinite(const float* x, int64_t n) {
  int bad = 0;
  for (int64_t i = 0; i < n; ++i) bad |= !(x[i] - x[i] == 0.0f);
  return bad == 0;
}
}  // namespace

void Optimizer::applyGradients(const std::vector<std::pair<VariablePtr, Tensor>>& gradsAndVars) {
  for (const auto& [v, g] : gradsAndVars)
    if (g.shape() != v->shape())
      fail<ValueError>("gradient of shape ", shapeToString(g.shape()), " does not match variable '", v->name(),
                       "' of shape ", shapeToString(v->shape()));
  const float lr = currentLearningRate();
  const int64_t step = iterations_ + 1;
  const int slotsPerVariable = slotCount();
  // Forget the state of variables that no longer exist.
  for (auto it = slots_.begin(); it != slots_.end();)
    it = it->second.owner.expired() ? slots_.erase(it) : std::next(it);

  struct Target {
    float* w;
    const float* g;
    std::vector<float*> slots;
  };
  struct Piece {
    size_t target;
    int64_t begin, end;
  };
  std::vector<const Variable*> distinct;
  for (const auto& [v, g] : gradsAndVars) distinct.push_back(v.get());
  std::sort(distinct.begin(), distinct.end());
  if (const auto twice = std::adjacent_find(distinct.begin(), distinct.end()); twice != distinct.end())
    fail<ValueError>("variable '", (*twice)->name(), "' has more than one gradient in one step; add them first");
  std::vector<Target> targets;
  std::vector<Piece> pieces;
  int64_t values = 0;
  for (const auto& [v, g] : gradsAndVars) {
    values += g.size();
    State& state = slots_[v.get()];
    if (state.owner.expired()) state = State{v, {}};
    if (state.slots.empty())
      for (int i = 0; i < slotsPerVariable; ++i) state.slots.emplace_back(v->shape());
    Target t{v->mutableValue().data(), g.data(), {}};
    for (auto& s : state.slots) t.slots.push_back(s.data());
    for (int64_t b = 0; b < g.size(); b += kPieceValues)
      pieces.push_back({targets.size(), b, std::min(g.size(), b + kPieceValues)});
    targets.push_back(std::move(t));
  }

  // All or nothing without a copy of the whole state: a dry run updates a
  // copy of each piece and checks its new weights, and only a step whose
  // weights all stay finite is applied to the variables, by the same rule on
  // the same values (so the applied weights are the checked ones).
  int64_t longest = 0;
  for (const Piece& p : pieces) longest = std::max(longest, p.end - p.begin);
  // One piece's update: on a copy in `scratch` ((1 + slots) x longest
  // values) for the dry run, or in place when `scratch` is null. Returns
  // where the new weights are.
  auto updatePiece = [&](const Piece& piece, float* scratch, std::vector<float*>& slots) {
    const Target& t = targets[piece.target];
    const int64_t n = piece.end - piece.begin;
    float* w = t.w + piece.begin;
    for (int i = 0; i < slotsPerVariable; ++i) slots[i] = t.slots[i] + piece.begin;
    if (scratch) {
      std::copy(w, w + n, scratch);
      w = scratch;
      for (int i = 0; i < slotsPerVariable; ++i) {
        float* copy = scratch + (1 + i) * longest;
        std::copy(slots[i], slots[i] + n, copy);
        slots[i] = copy;
      }
    }
    update(w, t.g + piece.begin, n, lr, step, slots.data());
    return w;
  };
  const int64_t pieceCount = static_cast<int64_t>(pieces.size());
  const bool onPool = values >= kPoolValues;
  std::vector<char> diverges(pieces.size(), 0);
  parallelForIf(onPool, pieceCount, [&](int64_t p0, int64_t p1) {
    std::vector<float> scratch(static_cast<size_t>((1 + slotsPerVariable) * longest));
    std::vector<float*> slots(static_cast<size_t>(slotsPerVariable));
    for (int64_t p = p0; p < p1; ++p) {
      const float* w = updatePiece(pieces[p], scratch.data(), slots);
      diverges[p] = !allFinite(w, pieces[p].end - pieces[p].begin);
    }
  });
  const auto first = std::find(diverges.begin(), diverges.end(), 1);
  if (first != diverges.end())
    fail<DivergedError>("the update would make weight '",
                        gradsAndVars[pieces[first - diverges.begin()].target].first->name(),
                        "' NaN or infinite; the step was not applied (try a lower learning rate)");

  parallelForIf(onPool, pieceCount, [&](int64_t p0, int64_t p1) {
    std::vector<float*> slots(static_cast<size_t>(slotsPerVariable));
    for (int64_t p = p0; p < p1; ++p) updatePiece(pieces[p], nullptr, slots);
  });
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
