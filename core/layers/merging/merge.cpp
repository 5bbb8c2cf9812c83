#include "layers/merging/merge.h"

namespace tanuki {

Shape Merge::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  if (inputShapes.size() < 2) shapeError("expects at least 2 inputs, got " + std::to_string(inputShapes.size()));
  Shape out = inputShapes[0];
  for (size_t i = 1; i < inputShapes.size(); ++i) {
    const Shape& s = inputShapes[i];
    bool same = s.size() == out.size();
    for (size_t d = 0; same && d < s.size(); ++d) {
      if (out[d] < 0) out[d] = s[d];  // an unknown size takes a known one
      same = s[d] < 0 || s[d] == out[d];
    }
    if (!same)
      shapeError("expects inputs of one shape, got " + shapeToString(inputShapes[0]) + " and " + shapeToString(s) +
                 " (input " + std::to_string(i) + ")");
  }
  return out;
}

}  // namespace tanuki
