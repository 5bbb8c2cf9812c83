// Functional: a model defined by a graph from input tensors to an output
// tensor (Keras's functional API, tk.model({inputs, outputs})).
#pragma once

#include <memory>
#include <unordered_map>

#include "models/inference_plan.h"
#include "models/model.h"
#include "models/symbolic_tensor.h"

namespace tanuki {

class Functional : public Model {
 public:
  // Throws ValueError when the outputs do not depend only on the inputs.
  Functional(std::vector<SymbolicTensor> inputs, std::vector<SymbolicTensor> outputs, const std::string& name = "");
  std::string className() const override { return "Functional"; }

  std::vector<LayerPtr> layers() const override { return layers_; }
  std::vector<std::pair<LayerPtr, Shape>> layerOutputShapes() const override;
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  int inputCount() const override { return static_cast<int>(inputs_.size()); }
  const std::vector<SymbolicTensor>& inputs() const { return inputs_; }
  const std::vector<SymbolicTensor>& outputs() const { return outputs_; }
  // The output of the (first) call of the named layer inside this model, for
  // cutting a backbone: Functional(model.inputs(), {model.layerOutput(name)}).
  SymbolicTensor layerOutput(const std::string& layerName) const;
  // Nodes in execution order (inputs first).
  const std::vector<std::shared_ptr<Node>>& nodes() const { return order_; }

 protected:
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  // The sole reader of `node` if it is a ReLU-like clamp of it alone.
  const Node* clampReader(const Node* node) const;
  std::vector<SymbolicTensor> inputs_, outputs_;
  std::vector<std::shared_ptr<Node>> order_;
  std::vector<LayerPtr> layers_;
  // How many nodes read each node's output: intermediate results are freed
  // as soon as the last reader has run.
  std::unordered_map<const Node*, int> readers_;
  // The one node reading each node read by exactly one (the output excluded).
  std::unordered_map<const Node*, const Node*> soleReader_;
  // Calls that record nothing go through this (fused kernels, folded weights).
  std::unique_ptr<InferencePlan> inferencePlan_;
};

}  // namespace tanuki
