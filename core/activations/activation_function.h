// Element-wise activation functions by their Keras names, each with its
// derivative beside it. Softmax works over the last axis.
#pragma once

#include <cstdint>
#include <string>

namespace tanuki {

class ActivationFunction {
 public:
  enum class Kind {
    Linear,
    Relu,
    Relu6,
    Elu,
    Selu,
    Sigmoid,
    HardSigmoid,
    Tanh,
    Softmax,
    Softplus,
    Softsign,
    Swish,
    Gelu
  };

  // Throws ValueError naming the known activations.
  static ActivationFunction parse(const std::string& name);
  explicit ActivationFunction(Kind kind = Kind::Linear) : kind_(kind) {}

  Kind kind() const { return kind_; }
  std::string name() const;
  bool isLinear() const { return kind_ == Kind::Linear; }
  // Whether backward needs the input x (otherwise the output y is enough).
  bool backwardNeedsInput() const;

  // x, y: n values, laid out as rows of `lastDim` (only softmax cares).
  void forward(const float* x, float* y, int64_t n, int64_t lastDim) const;
  // dx = dy * f'(x); x may be null when backwardNeedsInput() is false.
  void backward(const float* x, const float* y, const float* dy, float* dx, int64_t n, int64_t lastDim) const;

 private:
  Kind kind_;
};

}  // namespace tanuki
