#include "layers/gradients.h"

#include "util/errors.h"

namespace tanuki {

void Gradients::accumulate(const VariablePtr& variable, Tensor g) {
  if (g.shape() != variable->shape())
    fail<ValueError>("gradient of shape ", shapeToString(g.shape()), " does not match weight '", variable->name(),
                     "' of shape ", shapeToString(variable->shape()));
  auto it = index_.find(variable.get());
  if (it == index_.end()) {
    index_[variable.get()] = items_.size();
    items_.emplace_back(variable, std::move(g));
    return;
  }
  Tensor& sum = items_[it->second].second;
  if (sum.data() == g.data()) sum = sum.clone();
  for (int64_t i = 0; i < sum.size(); ++i) sum[i] += g[i];
}

const Tensor* Gradients::find(const Variable* variable) const {
  auto it = index_.find(variable);
  return it == index_.end() ? nullptr : &items_[it->second].second;
}

}  // namespace tanuki
