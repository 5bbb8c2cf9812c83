// What the inference plan (models/inference_plan.h) asks a layer before it
// fuses a chain, so that the plan knows no layer class by name. Layer's
// virtual queries (layers/layer.h) return these; each layer that can take
// part in a fused chain answers for itself.
#pragma once

#include <vector>

#include "tensor/tensor.h"
#include "tensor/variable.h"

namespace tanuki {

namespace kernels {
struct Epilogue;
struct Padding2D;
}  // namespace kernels

// A layer computing y = epilogue(x ⊛ kernel) in one kernel call, into which a
// following per-channel affine map (folded into kernel and bias) and a clamp
// (the epilogue's) can be absorbed.
class FusableProducer {
 public:
  // The kernel's last axis is the output channel.
  virtual const VariablePtr& kernel() const = 0;
  virtual const VariablePtr& bias() const = 0;  // null without use_bias
  // The output for another kernel (shaped as kernel()), the epilogue applied.
  virtual Tensor inferWith(const Tensor& x, const float* kernel, const kernels::Epilogue& epilogue) const = 0;
  // Whether a ZeroPadding2D feeding only this layer can become its implicit
  // padding; inferPadded then computes the output without the padded copy.
  virtual bool foldsZeroPadding() const { return false; }
  virtual Tensor inferPadded(const Tensor& x, const kernels::Padding2D& pad, const float* kernel,
                             const kernels::Epilogue& epilogue) const;

 protected:
  ~FusableProducer() = default;
};

// y = min(max(x, lo), hi): what ReLU, ReLU6 and a linear activation amount to.
struct ClampRange {
  float lo, hi;
};

// y = x * scale + shift per channel (the last axis).
struct ChannelAffine {
  std::vector<double> scale, shift;
};

}  // namespace tanuki
