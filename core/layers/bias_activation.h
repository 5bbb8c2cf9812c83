// The tail Dense and every convolution share: z = product + bias over the
// last (channel) axis, y = activation(z); their config options (activation,
// use_bias, bias_initializer) and the matching backward steps.
#pragma once

#include "activations/activation_function.h"
#include "layers/config/config_reader.h"
#include "layers/gradients.h"
#include "tensor/variable.h"

namespace tanuki {

class BiasActivation {
 public:
  explicit BiasActivation(const ConfigReader& config);

  const ActivationFunction& activation() const { return activation_; }
  bool useBias() const { return useBias_; }
  const std::string& biasInitializer() const { return biasInitializer_; }

  // What the backward step keeps from the forward pass: nothing when f is
  // linear, y for most functions, z as well for a few (swish, gelu).
  struct Memo {
    Tensor z, y;
    bool trainBias = false;
  };
  // z: [..., C]. Adds the bias to z in place, unless `biasAdded` (the
  // product's kernel added it), and returns y = f(z): z itself when f is linear.
  Tensor forward(Tensor& z, bool biasAdded = false) const;
  Memo remember(const Tensor& z, const Tensor& y) const;
  // dy: [..., C]. Returns dz = dy * f'(z) and accumulates the bias gradient,
  // Σ dz over every axis but the last, when the bias trains.
  Tensor backward(const Memo& memo, const Tensor& dy, Gradients& grads) const;

  // activation, use_bias, bias_initializer and the unsupported options as null.
  void writeConfig(Json& config) const;

  // [C], made by the layer's onBuild when useBias().
  VariablePtr bias;

 private:
  ActivationFunction activation_;
  bool useBias_;
  std::string biasInitializer_;
};

}  // namespace tanuki
