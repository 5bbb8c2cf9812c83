#include "models/inference_plan.h"

#include <unordered_set>

#include "models/model.h"
#include "util/profiler.h"

namespace tanuki {

namespace {
bool effectiveTraining(const Node& node, bool training) { return node.training.value_or(training); }
}  // namespace

InferencePlan::InferencePlan(const std::vector<std::shared_ptr<Node>>& order,
                             const std::unordered_map<const Node*, int>& readers, std::vector<const Node*> inputNodes,
                             const Node* outputNode)
    : order_(order), readers_(readers), inputNodes_(std::move(inputNodes)), outputNode_(outputNode) {}

std::vector<InferencePlan::Chain> InferencePlan::findChains(bool training) const {
  // The single reader of each node read by exactly one node, not the output.
  std::unordered_map<const Node*, const Node*> soleReader;
  for (const auto& node : order_)
    for (const auto& in : node->inputs) {
      const Node* src = in.node.get();
      auto it = readers_.find(src);
      if (it != readers_.end() && it->second == 1 && src != outputNode_) soleReader[src] = node.get();
    }
  auto next = [&](const Node* n) -> const Node* {
    auto it = soleReader.find(n);
    return it == soleReader.end() || it->second->inputs.size() != 1 ? nullptr : it->second;
  };
  std::vector<Chain> chains;
  for (const auto& node : order_) {
    const FusableProducer* producer = node->layer->fusableProducer();
    if (!producer) continue;
    Chain chain{node.get(), nullptr, nullptr, node.get()};
    if (producer->foldsZeroPadding() && node->inputs.size() == 1) {
      const Node* before = node->inputs[0].node.get();
      if (before->layer->zeroPadding() && before->inputs.size() == 1 && next(before) == node.get())
        chain.padding = before;
    }
    if (const Node* n = next(chain.last); n && n->layer->isChannelAffine(effectiveTraining(*n, training)))
      chain.norm = chain.last = n;
    if (const Node* n = next(chain.last); n && n->layer->clampRange()) chain.activation = chain.last = n;
    if (chain.last != chain.producer || chain.padding) chains.push_back(chain);
  }
  return chains;
}

Tensor InferencePlan::runChain(const Chain& chain, const Tensor& x) {
  const FusableProducer& producer = *chain.producer->layer->fusableProducer();
  if (chain.padding) {
    const kernels::Padding2D& pad = *chain.padding->layer->zeroPadding();
    return runFolded(chain, [&](const float* kernel, const kernels::Epilogue& e) {
      return producer.inferPadded(x, pad, kernel, e);
    });
  }
  return runFolded(chain,
                   [&](const float* kernel, const kernels::Epilogue& e) { return producer.inferWith(x, kernel, e); });
}

Tensor InferencePlan::runFolded(const Chain& chain,
                                const std::function<Tensor(const float*, const kernels::Epilogue&)>& infer) {
  const FusableProducer& producer = *chain.producer->layer->fusableProducer();
  const VariablePtr& kernel = producer.kernel();
  const VariablePtr& bias = producer.bias();
  const Tensor* kernelValue = &kernel->value();
  const float* biasValue = bias ? bias->value().data() : nullptr;
  if (chain.norm) {
    const Layer& norm = *chain.norm->layer;
    std::vector<uint64_t> versions{kernel->version(), bias ? bias->version() : 0};
    for (const auto& w : norm.weights()) versions.push_back(w->version());
    Folded& f = folded_[chain.producer];
    if (!f.kernel.defined() || f.versions != versions) {
      // y = (conv + b) * a + shift per output channel:
      // kernel' = kernel * a, bias' = b * a + shift.
      const ChannelAffine affine = norm.channelAffine();
      const int64_t C = static_cast<int64_t>(affine.scale.size());
      f.bias.assign(static_cast<size_t>(C), 0.0f);
      for (int64_t c = 0; c < C; ++c) {
        const double b = bias ? bias->value()[c] : 0.0;
        f.bias[c] = static_cast<float>(b * affine.scale[c] + affine.shift[c]);
      }
      f.kernel = Tensor(kernel->shape());
      const float* k = kernel->value().data();
      for (int64_t i = 0; i < f.kernel.size(); ++i) f.kernel[i] = static_cast<float>(k[i] * affine.scale[i % C]);
      f.versions = std::move(versions);
    }
    kernelValue = &f.kernel;
    biasValue = f.bias.data();
  }
  kernels::Epilogue epilogue{biasValue};
  if (chain.activation) {
    const ClampRange clamp = *chain.activation->layer->clampRange();
    epilogue.lo = clamp.lo;
    epilogue.hi = clamp.hi;
  }
  return infer(kernelValue->data(), epilogue);
}

std::string InferencePlan::chainLabel(const Chain& chain) {
  std::string label = chain.padding ? "ZeroPadding2D+" : "";
  label += chain.producer->layer->className();
  for (const Node* n : {chain.norm, chain.activation})
    if (n) label += "+" + n->layer->className();
  return label;
}

Tensor InferencePlan::run(const std::vector<Tensor>& inputs, bool training) {
  std::unordered_map<const Node*, Tensor> values;
  std::unordered_map<const Node*, int> pending = readers_;
  for (size_t i = 0; i < inputNodes_.size(); ++i) values[inputNodes_[i]] = inputs[i];
  std::unordered_map<const Node*, const Chain*> chainAt;
  std::unordered_set<const Node*> inside;
  const std::vector<Chain> chains = findChains(training);
  for (const Chain& c : chains) {
    chainAt[c.producer] = &c;
    for (const Node* n : {c.norm, c.activation, c.padding})
      if (n) inside.insert(n);
  }
  for (const auto& node : order_) {
    if (node->inputs.empty() || inside.count(node.get())) continue;  // an input, or computed by its chain
    std::vector<const Node*> argNodes;
    for (const auto& in : node->inputs) argNodes.push_back(in.node.get());
    auto it = chainAt.find(node.get());
    if (it != chainAt.end() && it->second->padding) argNodes = {it->second->padding->inputs[0].node.get()};
    std::vector<Tensor> args;
    for (const Node* n : argNodes) args.push_back(values.at(n));
    const Node* produced = node.get();
    Tensor out;
    if (it != chainAt.end()) {
      const Chain& chain = *it->second;
      profiler::Scope scope(profiler::enabled() ? chainLabel(chain) : std::string(), "inference",
                            chain.producer->layer->name());
      out = runChain(chain, args[0]);
      produced = it->second->last;
    } else {
      CallContext sub;
      sub.training = effectiveTraining(*node, training);
      profiler::Scope scope(profileName(*node->layer), "inference", node->layer->name());
      out = node->layer->apply(args, sub).output;
    }
    for (const Node* n : argNodes)
      if (--pending[n] == 0 && n != outputNode_) values.erase(n);
    values[produced] = std::move(out);
  }
  return values.at(outputNode_);
}

}  // namespace tanuki
