// The tail every convolution layer shares: z = convolution + bias over the
// last (channel) axis, y = activation(z), and the matching backward steps.
#pragma once

#include "activations/activation_function.h"
#include "tensor/variable.h"

namespace tanuki {

// z: [..., C], bias: [C] or null. Adds the bias to z in place and returns
// y = f(z), which is z itself when f is linear.
Tensor addBiasAndActivate(Tensor& z, const VariablePtr& bias, const ActivationFunction& f);

// What the activation's backward step keeps from the forward pass: nothing
// when f is linear, y for most functions, z as well for a few (swish, gelu).
struct ActivationMemo {
  Tensor z, y;
};
ActivationMemo rememberActivation(const ActivationFunction& f, const Tensor& z, const Tensor& y);

// dy: [..., C]. dz = dy * f'(z), dy itself when f is linear.
Tensor activationGradient(const ActivationFunction& f, const ActivationMemo& memo, const Tensor& dy);

// dz: [..., C] -> [C], the sum over every other axis.
Tensor biasGradient(const Tensor& dz);

}  // namespace tanuki
