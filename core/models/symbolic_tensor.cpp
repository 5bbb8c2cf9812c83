#include "models/symbolic_tensor.h"

#include "layers/core/input_layer.h"
#include "util/errors.h"

namespace tanuki {

Shape SymbolicTensor::shape() const { return node->outputShape; }

SymbolicTensor makeInput(const Shape& shape, const std::string& name) {
  Json config = {{"batch_input_shape", shapeToJson(Shape{-1})}};
  for (int64_t d : shape) config["batch_input_shape"].push_back(d < 0 ? Json(nullptr) : Json(d));
  if (!name.empty()) config["name"] = name;
  auto layer = std::make_shared<InputLayer>(ConfigReader(config, "InputLayer"));
  auto node = std::make_shared<Node>();
  node->layer = layer;
  node->outputShape = layer->shape();
  return SymbolicTensor{node};
}

SymbolicTensor applySymbolic(const LayerPtr& layer, const std::vector<SymbolicTensor>& inputs,
                             std::optional<bool> training) {
  if (std::dynamic_pointer_cast<InputLayer>(layer))
    fail<ValueError>("InputLayer '", layer->name(), "' cannot be applied to a tensor");
  std::vector<Shape> shapes;
  for (const auto& in : inputs) {
    if (!in.node) fail<ValueError>("layer '", layer->name(), "': an input is not a symbolic tensor");
    shapes.push_back(in.shape());
  }
  layer->build(shapes);
  auto node = std::make_shared<Node>();
  node->layer = layer;
  node->inputs = inputs;
  node->training = training;
  node->outputShape = layer->computeOutputShape(shapes);
  return SymbolicTensor{node};
}

}  // namespace tanuki
