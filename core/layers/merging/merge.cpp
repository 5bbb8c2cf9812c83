#include "layers/merging/merge.h"

#include "layers/merging/broadcast.h"

namespace tanuki {

Shape Merge::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  if (inputShapes.size() < 2) shapeError("expects at least 2 inputs, got " + std::to_string(inputShapes.size()));
  Shape out = inputShapes[0];
  for (size_t i = 1; i < inputShapes.size(); ++i) {
    const std::optional<Shape> next = broadcastShape(out, inputShapes[i]);
    if (!next)
      shapeError("expects inputs of one rank whose sizes are equal or 1 along each axis, got " +
                 shapeToString(inputShapes[0]) + " and " + shapeToString(inputShapes[i]) + " (input " +
                 std::to_string(i) + ")");
    // Keras merges no inputs of different batch sizes, not even 1 and n.
    if (!out.empty() && out[0] >= 0 && inputShapes[i][0] >= 0 && out[0] != inputShapes[i][0])
      shapeError("expects inputs of one batch size, got " + shapeToString(inputShapes[0]) + " and " +
                 shapeToString(inputShapes[i]) + " (input " + std::to_string(i) + ")");
    out = *next;
  }
  return out;
}

bool Merge::sameShapes(const std::vector<Tensor>& inputs) {
  for (const Tensor& x : inputs)
    if (x.shape() != inputs[0].shape()) return false;
  return true;
}

}  // namespace tanuki
