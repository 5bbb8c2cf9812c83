// Keras's broadcasting of merge inputs: tensors of one rank whose sizes are
// equal or 1 along each axis; an axis of size 1 repeats over the other's.
#pragma once

#include <optional>

#include "tensor/tensor.h"

namespace tanuki {

// The shape a and b broadcast to, or nothing when their ranks differ or
// along some axis neither size is 1 and they differ. An unknown size (-1)
// against 1 stays unknown; against another known size it is taken to be that
// one, the only other size that broadcasts (Keras leaves it unknown).
std::optional<Shape> broadcastShape(const Shape& a, const Shape& b);

// x repeated along its axes of size 1 to `shape` (of x's rank, whose sizes
// equal x's or x's are 1).
Tensor broadcastTo(const Tensor& x, const Shape& shape);

// y += x and y *= x with x broadcast to y's shape, without a copy of it.
void addBroadcast(Tensor& y, const Tensor& x);
void multiplyBroadcast(Tensor& y, const Tensor& x);

// The gradient of broadcastTo: g summed over the axes where `shape` has size 1
// and g has more, to `shape`.
Tensor sumTo(const Tensor& g, const Shape& shape);

}  // namespace tanuki
