#include "models/inference_plan.h"

#include <cmath>
#include <limits>
#include <unordered_set>

#include "layers/activations/relu.h"
#include "layers/convolutional/conv2d.h"
#include "layers/convolutional/depthwise_conv2d.h"
#include "layers/convolutional/zero_padding2d.h"
#include "layers/core/activation.h"
#include "layers/core/dense.h"
#include "layers/normalization/batch_normalization.h"
#include "models/model.h"
#include "util/profiler.h"

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
    auto* depthwise = dynamic_cast<const DepthwiseConv2D*>(node->layer.get());
    if (depthwise && depthwise->validPadding() && node->inputs.size() == 1) {
      const Node* before = node->inputs[0].node.get();
      if (dynamic_cast<const ZeroPadding2D*>(before->layer.get()) && before->inputs.size() == 1 &&
          next(before) == node.get())
        chain.padding = before;
    }
    if (const Node* n = next(chain.last)) {
      auto* bn = dynamic_cast<const BatchNormalization*>(n->layer.get());
      if (bn && !(effectiveTraining(*n, training) && bn->trainable())) chain.norm = chain.last = n;
    }
    if (const Node* n = next(chain.last); n && clampOf(*n->layer)) chain.activation = chain.last = n;
    if (chain.last != chain.producer || chain.padding) chains.push_back(chain);
  }
  return chains;
}

Tensor InferencePlan::runChain(const Chain& chain, const Tensor& x) {
  if (chain.padding) {
    const auto* depthwise = static_cast<const DepthwiseConv2D*>(chain.producer->layer.get());
    const kernels::Padding2D pad = static_cast<const ZeroPadding2D*>(chain.padding->layer.get())->padding();
    return runFolded(chain, [&](const float* kernel, const kernels::Epilogue& e) {
      return depthwise->inferPadded(x, pad, kernel, e);
    });
  }
  const Producer producer = *asProducer(*chain.producer->layer);
  return runFolded(chain, [&](const float* kernel, const kernels::Epilogue& e) { return producer.infer(x, kernel, e); });
}

Tensor InferencePlan::runFolded(const Chain& chain,
                                const std::function<Tensor(const float*, const kernels::Epilogue&)>& infer) {
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
      profiler::Scope scope(profiler::enabled() ? chainLabel(chain) : std::string(), "inference");
      out = runChain(chain, args[0]);
      produced = it->second->last;
    } else {
      CallContext sub;
      sub.training = effectiveTraining(*node, training);
      profiler::Scope scope(profileName(*node->layer), "inference");
      out = node->layer->apply(args, sub).output;
    }
    for (const Node* n : argNodes)
      if (--pending[n] == 0 && n != outputNode_) values.erase(n);
    values[produced] = std::move(out);
  }
  return values.at(outputNode_);
}

}  // namespace tanuki
