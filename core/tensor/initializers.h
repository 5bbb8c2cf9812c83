// Weight initialisers named as in Keras configs ("glorot_uniform", "zeros", ...).
#pragma once

#include <string>

#include "tensor/tensor.h"

namespace tanuki {

// Fan-in and fan-out follow Keras: the last axis is fan-out, the one before
// it fan-in, and leading (spatial) axes multiply both.
Tensor initialize(const std::string& initializer, const Shape& shape);

}  // namespace tanuki
