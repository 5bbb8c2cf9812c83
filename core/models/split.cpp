#include "models/split.h"

#include <unordered_map>
#include <unordered_set>

#include "util/errors.h"

namespace tanuki {

std::string splitObstacle(const Functional& model, const std::string& layerName) {
  const SymbolicTensor boundary = model.layerOutput(layerName);
  std::unordered_set<const Node*> above{boundary.node.get()};
  for (const auto& node : model.nodes()) {
    if (above.count(node.get()) || node->inputs.empty()) continue;
    size_t found = 0;
    for (const auto& in : node->inputs) found += above.count(in.node.get());
    if (found == 0) continue;  // below the cut
    if (found != node->inputs.size())
      return "cannot split model '" + model.name() + "' at '" + layerName + "': layer '" + node->layer->name() +
             "' above it also reads a tensor from below it";
    above.insert(node.get());
  }
  if (!above.count(model.outputs()[0].node.get()))
    return "cannot split model '" + model.name() + "' at '" + layerName + "': the output does not depend on it";
  return "";
}

SplitModel splitAt(const Functional& model, const std::string& layerName) {
  if (const std::string obstacle = splitObstacle(model, layerName); !obstacle.empty()) fail<ValueError>(obstacle);
  const SymbolicTensor boundary = model.layerOutput(layerName);
  const Shape shape = boundary.shape();
  const SymbolicTensor input = makeInput(Shape(shape.begin() + 1, shape.end()), layerName + "_features");
  std::unordered_map<const Node*, SymbolicTensor> mapped{{boundary.node.get(), input}};
  for (const auto& node : model.nodes()) {
    if (mapped.count(node.get()) || node->inputs.empty()) continue;
    std::vector<SymbolicTensor> args;
    size_t found = 0;
    for (const auto& in : node->inputs) {
      auto it = mapped.find(in.node.get());
      if (it != mapped.end()) {
        args.push_back(it->second);
        ++found;
      }
    }
    if (found == 0) continue;  // below the cut (splitObstacle ruled out a node reading from both sides)
    mapped[node.get()] = applySymbolic(node->layer, args, node->training);
  }
  const auto out = mapped.find(model.outputs()[0].node.get());  // there: splitObstacle checked
  SplitModel split;
  split.bottom =
      std::make_shared<Functional>(model.inputs(), std::vector<SymbolicTensor>{boundary}, model.name() + "_bottom");
  split.top = std::make_shared<Functional>(std::vector<SymbolicTensor>{input}, std::vector<SymbolicTensor>{out->second},
                                           model.name() + "_top");
  return split;
}

}  // namespace tanuki
