#include "models/functional.h"

#include <algorithm>
#include <functional>
#include <unordered_set>

#include "kernels/common/vector_loops.h"
#include "layers/core/input_layer.h"
#include "util/errors.h"
#include "util/profiler.h"

namespace tanuki {

namespace {
Json nameConfig(const std::string& name) { return name.empty() ? Json::object() : Json{{"name", name}}; }
}  // namespace

Functional::Functional(std::vector<SymbolicTensor> inputs, std::vector<SymbolicTensor> outputs, const std::string& name)
    : Model(ConfigReader(nameConfig(name), "Functional"), "model"),
      inputs_(std::move(inputs)),
      outputs_(std::move(outputs)) {
  if (inputs_.empty()) fail<ValueError>("a model needs at least one input");
  if (outputs_.size() != 1) fail<ValueError>("a model needs exactly one output, got ", outputs_.size());
  std::unordered_set<const Node*> inputNodes;
  for (const auto& in : inputs_) {
    if (!in.node || !std::dynamic_pointer_cast<InputLayer>(in.node->layer))
      fail<ValueError>("model inputs must be tensors made by input()");
    inputNodes.insert(in.node.get());
  }
  // Depth-first post-order from the output gives an execution order.
  std::unordered_set<const Node*> done, active;
  std::function<void(const std::shared_ptr<Node>&)> visit = [&](const std::shared_ptr<Node>& node) {
    if (done.count(node.get())) return;
    if (!active.insert(node.get()).second)
      fail<ValueError>("the model graph has a cycle at layer '", node->layer->name(), "'");
    if (node->inputs.empty() && !inputNodes.count(node.get()))
      fail<ValueError>("graph disconnected: the output depends on input '", node->layer->name(),
                       "', which is not one of the model's inputs");
    for (const auto& in : node->inputs) {
      visit(in.node);
      ++readers_[in.node.get()];
    }
    active.erase(node.get());
    done.insert(node.get());
    order_.push_back(node);
  };
  for (const auto& in : inputs_) {
    done.insert(in.node.get());
    order_.push_back(in.node);
  }
  for (const auto& out : outputs_) visit(out.node);
  for (const auto& node : order_)
    for (const auto& in : node->inputs)
      if (readers_[in.node.get()] == 1 && in.node.get() != outputs_[0].node.get())
        soleReader_[in.node.get()] = node.get();
  std::unordered_set<const Layer*> seen;
  for (const auto& node : order_)
    if (seen.insert(node->layer.get()).second) layers_.push_back(node->layer);
  // The model is built: its layers were built when the graph was made.
  std::vector<Shape> shapes;
  for (const auto& in : inputs_) shapes.push_back(in.shape());
  build(shapes);
}

const Node* Functional::clampReader(const Node* node) const {
  auto it = soleReader_.find(node);
  if (it == soleReader_.end()) return nullptr;
  const Node* reader = it->second;
  return reader->inputs.size() == 1 && reader->layer->clampRange() ? reader : nullptr;
}

SymbolicTensor Functional::layerOutput(const std::string& layerName) const {
  for (const auto& node : order_)
    if (node->layer->name() == layerName) return SymbolicTensor{node};
  fail<ValueError>("model '", name(), "' has no layer named '", layerName, "'");
}

std::vector<std::pair<LayerPtr, Shape>> Functional::layerOutputShapes() const {
  std::vector<std::pair<LayerPtr, Shape>> out;
  for (const auto& node : order_) out.emplace_back(node->layer, node->outputShape);
  return out;
}

Shape Functional::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  if (inputShapes.size() != inputs_.size())
    shapeError("expects " + std::to_string(inputs_.size()) + " inputs, got " + std::to_string(inputShapes.size()));
  for (size_t i = 0; i < inputShapes.size(); ++i) inputs_[i].node->layer->computeOutputShape({inputShapes[i]});
  Shape out = outputs_[0].shape();
  if (!out.empty() && !inputShapes[0].empty()) out[0] = inputShapes[0][0];
  return out;
}

LayerCall Functional::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  if (!ctx.record) {
    if (!inferencePlan_) {
      std::vector<const Node*> inputNodes;
      for (const auto& in : inputs_) inputNodes.push_back(in.node.get());
      inferencePlan_ = std::make_unique<InferencePlan>(order_, readers_, inputNodes, outputs_[0].node.get());
    }
    return {inferencePlan_->run(inputs, ctx.training), {}};
  }
  std::unordered_map<const Node*, Tensor> values;
  std::unordered_map<const Node*, bool> needsGrad;
  std::unordered_map<const Node*, int> pending = readers_;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    values[inputs_[i].node.get()] = inputs[i];
    needsGrad[inputs_[i].node.get()] = ctx.record && ctx.inputNeedsGrad(i);
  }
  struct Step {
    const Node* node;
    BackwardFn backward;
    bool passThrough = false;  // an absorbed ReLU: its gradient is its producer's, not profiled apart
  };
  std::vector<Step> tape;
  const Node* outputNode = outputs_[0].node.get();
  // ReLUs whose clamp the layer before them applied (absorbsClamp): they
  // pass their input and its gradient through.
  std::unordered_set<const Node*> absorbed;
  for (const auto& node : order_) {
    if (node->inputs.empty()) continue;  // an input: already has its value
    std::vector<Tensor> args;
    CallContext sub;
    sub.training = node->training.value_or(ctx.training);
    sub.record = ctx.record;
    for (const auto& in : node->inputs) {
      args.push_back(values.at(in.node.get()));
      sub.inputsNeedGrad.push_back(needsGrad[in.node.get()]);
    }
    LayerCall out;
    if (absorbed.count(node.get())) {
      out.output = args[0];
      if (sub.inputNeedsGrad(0)) out.backward = [](const Tensor& dy, Gradients&) { return std::vector<Tensor>{dy}; };
    } else {
      const Node* reader = clampReader(node.get());
      if (reader && node->layer->absorbsClamp(sub.training)) {
        sub.clamp = reader->layer->clampRange();
        absorbed.insert(reader);
      }
      profiler::Scope scope(profileName(*node->layer), "forward", node->layer->name());
      out = node->layer->apply(args, sub);
    }
    for (const auto& in : node->inputs)
      if (--pending[in.node.get()] == 0 && in.node.get() != outputNode) values.erase(in.node.get());
    needsGrad[node.get()] = static_cast<bool>(out.backward);
    if (out.backward) tape.push_back({node.get(), std::move(out.backward), absorbed.count(node.get()) > 0});
    values[node.get()] = std::move(out.output);
  }
  LayerCall result{values.at(outputNode), {}};
  if (tape.empty()) return result;
  std::vector<const Node*> inputNodes;
  for (const auto& in : inputs_) inputNodes.push_back(in.node.get());
  result.backward = [tape = std::move(tape), inputNodes, outputNode](const Tensor& dy, Gradients& grads) {
    std::unordered_map<const Node*, Tensor> dOut{{outputNode, dy}};
    for (auto step = tape.rbegin(); step != tape.rend(); ++step) {
      auto it = dOut.find(step->node);
      if (it == dOut.end()) continue;  // the output does not depend on this node
      const Tensor d = std::move(it->second);
      dOut.erase(it);
      std::vector<Tensor> dIn;
      {
        profiler::Scope scope(step->passThrough ? "" : profileName(*step->node->layer), "backward",
                              step->node->layer->name());
        dIn = step->backward(d, grads);
      }
      for (size_t k = 0; k < dIn.size() && k < step->node->inputs.size(); ++k) {
        if (!dIn[k].defined()) continue;
        const Node* src = step->node->inputs[k].node.get();
        auto [slot, fresh] = dOut.try_emplace(src, dIn[k]);
        if (!fresh) {  // several readers: gradients add up
          profiler::Scope scope("(gradients of shared tensors summed)", "backward");
          Tensor sum = slot->second.clone();
          kernels::addInto(sum.data(), dIn[k].data(), sum.size());
          slot->second = sum;
        }
      }
    }
    std::vector<Tensor> dInputs;
    for (const Node* in : inputNodes) {
      auto it = dOut.find(in);
      dInputs.push_back(it == dOut.end() ? Tensor() : it->second);
    }
    return dInputs;
  };
  return result;
}

}  // namespace tanuki
