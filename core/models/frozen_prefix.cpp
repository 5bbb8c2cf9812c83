#include "models/frozen_prefix.h"

#include <unordered_map>
#include <unordered_set>

#include "models/split.h"
#include "util/errors.h"

namespace tanuki {

namespace {
// Layers whose training-mode output is random.
bool drawsRandomNumbers(const Layer& layer) {
  static const std::unordered_set<std::string> kinds = {"Dropout",       "SpatialDropout1D", "SpatialDropout2D",
                                                        "GaussianNoise", "GaussianDropout",  "AlphaDropout"};
  const std::string c = layer.className();
  return kinds.count(c) > 0 || c.rfind("Random", 0) == 0;
}

// A trainable layer with weights may behave differently in training
// (BatchNormalization's batch statistics) even without trainable weights.
bool isStatic(const LayerPtr& layer) {
  for (const auto& l : flattenLayers(layer)) {
    if (!l->sublayers().empty()) continue;  // a model: judged by its layers
    if (drawsRandomNumbers(*l) || !l->trainableWeights().empty()) return false;
    if (l->trainable() && !l->weights().empty()) return false;
  }
  return true;
}
}  // namespace

std::string cacheableBoundary(const Functional& model) {
  std::unordered_map<const Node*, bool> staticNode;
  std::vector<const Node*> candidates;
  for (const auto& node : model.nodes()) {
    bool s = true;
    if (!node->inputs.empty()) {
      for (const auto& in : node->inputs) s = s && staticNode[in.node.get()];
      s = s && isStatic(node->layer);
      if (s) candidates.push_back(node.get());
    }
    staticNode[node.get()] = s;
  }
  for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
    if (*it == model.outputs()[0].node.get()) continue;  // nothing left to train
    // The first call of the layer must be this node for splitAt to find it.
    if (model.layerOutput((*it)->layer->name()).node.get() != *it) continue;
    // Where a skip connection crosses, try further down.
    if (splitObstacle(model, (*it)->layer->name()).empty()) return (*it)->layer->name();
  }
  return "";
}

}  // namespace tanuki
