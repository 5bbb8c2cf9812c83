// What a kernel applies to each output value before storing it: a bias per
// output channel, then a clamp. It fuses a layer's bias and its ReLU/ReLU6
// (or a folded BatchNormalization's shift) into the kernel's store, saving a
// pass over the output.
#pragma once

#include <limits>

namespace tanuki::kernels {

struct Epilogue {
  const float* bias = nullptr;  // [channels], or none
  float lo = -std::numeric_limits<float>::infinity();
  float hi = std::numeric_limits<float>::infinity();
};

}  // namespace tanuki::kernels
