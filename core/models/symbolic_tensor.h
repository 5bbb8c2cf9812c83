// The graph a functional model is made of. `input({shape})` makes a
// SymbolicTensor; applying a layer to symbolic tensors adds a Node whose
// output is a new SymbolicTensor. A Node remembers an explicit `training`
// argument (Keras: base(inputs, training=False) keeps the base in inference
// mode whatever the outer call says).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "layers/layer.h"

namespace tanuki {

struct Node;

struct SymbolicTensor {
  std::shared_ptr<Node> node;
  Shape shape() const;
};

struct Node {
  LayerPtr layer;
  std::vector<SymbolicTensor> inputs;
  std::optional<bool> training;
  Shape outputShape;
};

// Keras's Input(): an InputLayer node. `shape` excludes the batch dimension.
SymbolicTensor makeInput(const Shape& shape, const std::string& name = "");
// Builds the layer for the inputs' shapes and records the call.
SymbolicTensor applySymbolic(const LayerPtr& layer, const std::vector<SymbolicTensor>& inputs,
                             std::optional<bool> training = std::nullopt);

}  // namespace tanuki
