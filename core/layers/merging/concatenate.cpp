#include "layers/merging/concatenate.h"

#include <algorithm>

#include "layers/layer_registration.h"

namespace tanuki {

Concatenate::Concatenate(const ConfigReader& config) : Layer(config, "concatenate"), axis_(config.getInt("axis", -1)) {}

int64_t Concatenate::resolveAxis(size_t rank) const {
  const int64_t r = static_cast<int64_t>(rank);
  const int64_t axis = axis_ < 0 ? axis_ + r : axis_;
  if (axis < 1 || axis >= r)
    shapeError("axis " + std::to_string(axis_) + " is out of range for inputs of rank " + std::to_string(r) +
               " (the batch axis 0 cannot be joined)");
  return axis;
}

Shape Concatenate::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  if (inputShapes.size() < 2) shapeError("expects at least 2 inputs, got " + std::to_string(inputShapes.size()));
  const int64_t axis = resolveAxis(inputShapes[0].size());
  Shape out = inputShapes[0];
  for (size_t i = 1; i < inputShapes.size(); ++i) {
    const Shape& s = inputShapes[i];
    bool fits = s.size() == out.size();
    for (size_t d = 0; fits && d < s.size(); ++d) {
      if (static_cast<int64_t>(d) == axis) {
        out[d] = (out[d] < 0 || s[d] < 0) ? -1 : out[d] + s[d];
      } else {
        if (out[d] < 0) out[d] = s[d];
        fits = s[d] < 0 || s[d] == out[d];
      }
    }
    if (!fits)
      shapeError("inputs must match except along axis " + std::to_string(axis_) + ", got " +
                 shapeToString(inputShapes[0]) + " and " + shapeToString(s) + " (input " + std::to_string(i) + ")");
  }
  return out;
}

// Viewed as [outer, d_k * inner], each input is a run of contiguous blocks,
// one per outer index; the output interleaves them.
LayerCall Concatenate::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  std::vector<Shape> shapes;
  for (const auto& x : inputs) shapes.push_back(x.shape());
  const Shape outShape = computeOutputShape(shapes);
  const int64_t axis = resolveAxis(outShape.size());
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= outShape[d];
  for (size_t d = axis + 1; d < outShape.size(); ++d) inner *= outShape[d];
  std::vector<int64_t> block;  // floats per outer index, per input
  for (const auto& s : shapes) block.push_back(s[axis] * inner);
  const int64_t outBlock = outShape[axis] * inner;

  Tensor y(outShape);
  int64_t offset = 0;
  for (size_t k = 0; k < inputs.size(); ++k) {
    for (int64_t o = 0; o < outer; ++o) {
      const float* src = inputs[k].data() + o * block[k];
      std::copy(src, src + block[k], y.data() + o * outBlock + offset);
    }
    offset += block[k];
  }

  LayerCall result{y, {}};
  if (!ctx.record || !ctx.anyInputNeedsGrad()) return result;
  result.backward = [shapes, block, outer, outBlock, needs = ctx.inputsNeedGrad](const Tensor& dy, Gradients&) {
    std::vector<Tensor> dx(shapes.size());
    int64_t offset = 0;
    for (size_t k = 0; k < shapes.size(); ++k) {
      if (k < needs.size() && needs[k]) {
        dx[k] = Tensor(shapes[k]);
        for (int64_t o = 0; o < outer; ++o) {
          const float* src = dy.data() + o * outBlock + offset;
          std::copy(src, src + block[k], dx[k].data() + o * block[k]);
        }
      }
      offset += block[k];
    }
    return dx;
  };
  return result;
}

Json Concatenate::getConfig() const {
  Json c = Layer::getConfig();
  c["axis"] = axis_;
  return c;
}

template <>
LayerRegistration registration<Concatenate>() {
  return {"Concatenate",
          createAs<Concatenate>,
          {LayerExample{{{"axis", -1}}, {{2, 3, 2}, {2, 3, 4}}}, LayerExample{{{"axis", 1}}, {{2, 2, 3}, {2, 1, 3}}}}};
}

}  // namespace tanuki
