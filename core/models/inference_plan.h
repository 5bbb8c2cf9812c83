// InferencePlan: how a functional model runs when nothing is recorded for a
// gradient (predict, evaluation, cached features). Wherever a fusable
// producer (Conv2D, DepthwiseConv2D or Dense with a linear activation) feeds
// a per-channel affine map (BatchNormalization in inference mode) and/or a
// clamp (ReLU/ReLU6) that nothing else reads, the chain runs as one kernel
// call: the affine map folded into the producer's kernel and bias, the clamp
// applied by the kernel's epilogue. A zero padding that only feeds a producer
// able to fold it ('valid' DepthwiseConv2D) becomes the producer's implicit
// padding (no padded copy is made). The plan learns all of this from the
// layers' answers (layers/fusion.h), not from their classes.
// Folded weights are computed once and kept until one of the weights they
// come from changes (Variable::version()).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "kernels/common/epilogue.h"
#include "models/symbolic_tensor.h"

namespace tanuki {

class InferencePlan {
 public:
  // order: the graph's nodes in execution order (inputs first); readers: how
  // many nodes read each node's output.
  InferencePlan(const std::vector<std::shared_ptr<Node>>& order, const std::unordered_map<const Node*, int>& readers,
                std::vector<const Node*> inputNodes, const Node* outputNode);

  // The output for these inputs, with the model called as training=`training`.
  Tensor run(const std::vector<Tensor>& inputs, bool training);

 private:
  struct Chain {
    const Node *producer, *norm, *activation, *last;  // norm and activation may be null
    const Node* padding = nullptr;                    // a ZeroPadding2D feeding only a 'valid' depthwise producer
  };
  struct Folded {
    std::vector<uint64_t> versions;
    Tensor kernel;  // undefined when there is no normalization to fold
    std::vector<float> bias;
  };
  std::vector<Chain> findChains(bool training) const;
  Tensor runChain(const Chain& chain, const Tensor& x);
  // Runs infer(kernel, epilogue) with the chain's normalization folded in.
  Tensor runFolded(const Chain& chain, const std::function<Tensor(const float*, const kernels::Epilogue&)>& infer);
  static std::string chainLabel(const Chain& chain);

  const std::vector<std::shared_ptr<Node>>& order_;
  const std::unordered_map<const Node*, int>& readers_;
  std::vector<const Node*> inputNodes_;
  const Node* outputNode_;
  std::unordered_map<const Node*, Folded> folded_;
};

}  // namespace tanuki
