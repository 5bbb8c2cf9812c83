#include "models/inference_plan.h"

#include <cmath>
#include <limits>
#include <unordered_set>

#include "layers/activations/relu.h"
#include "layers/convolutional/conv2d.h"
#include "layers/convolutional/depthwise_conv2d.h"
#include "layers/core/activation.h"
#include "layers/core/dense.h"
#include "layers/normalization/batch_normalization.h"

namespace tanuki {

namespace {
// What the three producers share, behind one interface for the plan.
struct Producer {
  const VariablePtr* kernel = nullptr;
  const VariablePtr* bias = nullptr;
  std::function<Tensor(const Tensor&, const float*, const kernels::Epilogue&)> infer;
};

std::optional<Producer> asProducer(const Layer& layer) {
  auto make = [](const auto& l) -> std::optional<Producer> {
    if (!l.activation().isLinear()) return std::nullopt;
    return Producer{&l.kernel(), &l.bias(), [&l](const Tensor& x, const float* k, const kernels::Epilogue& e) {
                      return l.inferWith(x, k, e);
                    }};
  };
  if (auto* c = dynamic_cast<const Conv2D*>(&layer)) return make(*c);
  if (auto* d = dynamic_cast<const DepthwiseConv2D*>(&layer)) return make(*d);
  if (auto* d = dynamic_cast<const Dense*>(&layer)) return make(*d);
  return std::nullopt;
}

// The clamp an activation node amounts to, if it is one.
std::optional<std::pair<float, float>> clampOf(const Layer& layer) {
  constexpr float inf = std::numeric_limits<float>::infinity();
  if (auto* r = dynamic_cast<const ReLU*>(&layer)) {
    if (!r->isClamp()) return std::nullopt;
    return std::make_pair(0.0f, r->maxValue() ? static_cast<float>(*r->maxValue()) : inf);
  }
  if (auto* a = dynamic_cast<const Activation*>(&layer)) {
    switch (a->function().kind()) {
      case ActivationFunction::Kind::Linear: return std::make_pair(-inf, inf);
      case ActivationFunction::Kind::Relu: return std::make_pair(0.0f, inf);
      case ActivationFunction::Kind::Relu6: return std::make_pair(0.0f, 6.0f);
      default: return std::nullopt;
    }
  }
  return std::nullopt;
}

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
    if (!asProducer(*node->layer)) continue;
    Chain chain{node.get(), nullptr, nullptr, node.get()};
    if (const Node* n = next(chain.last)) {
      auto* bn = dynamic_cast<const BatchNormalization*>(n->layer.get());
      if (bn && !(effectiveTraining(*n, training) && bn->trainable())) chain.norm = chain.last = n;
    }
    if (const Node* n = next(chain.last); n && clampOf(*n->layer)) chain.activation = chain.last = n;
    if (chain.last != chain.producer) chains.push_back(chain);
  }
  return chains;
}

Tensor InferencePlan::runChain(const Chain& chain, const Tensor& x) {
  const Producer producer = *asProducer(*chain.producer->layer);
  const VariablePtr& kernel = *producer.kernel;
  const VariablePtr& bias = *producer.bias;
  const Tensor* kernelValue = &kernel->value();
  const float* biasValue = bias ? bias->value().data() : nullptr;
  if (chain.norm) {
    auto* bn = static_cast<const BatchNormalization*>(chain.norm->layer.get());
    const VariablePtr vars[] = {kernel, bias, bn->gamma(), bn->beta(), bn->movingMean(), bn->movingVariance()};
    std::vector<uint64_t> versions;
    for (const auto& v : vars) versions.push_back(v ? v->version() : 0);
    Folded& f = folded_[chain.producer];
    if (!f.kernel.defined() || f.versions != versions) {
      // y = (conv + b - mean) * a + beta with a = gamma / sqrt(var + eps):
      // kernel' = kernel * a per output channel, bias' = (b - mean) * a + beta.
      const int64_t C = bn->movingMean()->shape()[0];
      std::vector<double> a(static_cast<size_t>(C));
      f.bias.assign(static_cast<size_t>(C), 0.0f);
      for (int64_t c = 0; c < C; ++c) {
        const double gamma = bn->gamma() ? bn->gamma()->value()[c] : 1.0;
        a[c] = gamma / std::sqrt(static_cast<double>(bn->movingVariance()->value()[c]) + bn->epsilon());
        const double b = bias ? bias->value()[c] : 0.0;
        f.bias[c] = static_cast<float>((b - bn->movingMean()->value()[c]) * a[c] + (bn->beta() ? bn->beta()->value()[c] : 0.0));
      }
      f.kernel = Tensor(kernel->shape());
      const float* k = kernel->value().data();
      for (int64_t i = 0; i < f.kernel.size(); ++i) f.kernel[i] = static_cast<float>(k[i] * a[i % C]);
      f.versions = std::move(versions);
    }
    kernelValue = &f.kernel;
    biasValue = f.bias.data();
  }
  kernels::Epilogue epilogue{biasValue};
  if (chain.activation) std::tie(epilogue.lo, epilogue.hi) = *clampOf(*chain.activation->layer);
  return producer.infer(x, kernelValue->data(), epilogue);
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
    for (const Node* n : {c.norm, c.activation})
      if (n) inside.insert(n);
  }
  for (const auto& node : order_) {
    if (node->inputs.empty() || inside.count(node.get())) continue;  // an input, or computed by its chain
    std::vector<Tensor> args;
    for (const auto& in : node->inputs) args.push_back(values.at(in.node.get()));
    const Node* produced = node.get();
    Tensor out;
    if (auto it = chainAt.find(node.get()); it != chainAt.end()) {
      out = runChain(*it->second, args[0]);
      produced = it->second->last;
    } else {
      CallContext sub;
      sub.training = effectiveTraining(*node, training);
      out = node->layer->apply(args, sub).output;
    }
    for (const auto& in : node->inputs)
      if (--pending[in.node.get()] == 0 && in.node.get() != outputNode_) values.erase(in.node.get());
    values[produced] = std::move(out);
  }
  return values.at(outputNode_);
}

}  // namespace tanuki
