#include "layers/core/reshape.h"

#include <algorithm>

#include "layers/convolutional/conv_options.h"
#include "layers/layer_registration.h"
#include "util/errors.h"

namespace tanuki {

Reshape::Reshape(const ConfigReader& config) : Layer(config, "reshape") {
  const std::string label = layerLabel(config, name());
  if (!config.has("target_shape")) fail<ValueError>(label, ": 'target_shape' is required");
  const Json& t = config.raw()["target_shape"];
  bool valid = t.is_array();
  for (size_t i = 0; valid && i < t.size(); ++i) {
    valid = t[i].is_number_integer() && (t[i].get<int64_t>() > 0 || t[i].get<int64_t>() == -1);
    if (valid) target_.push_back(t[i].get<int64_t>());
  }
  if (!valid) fail<ValueError>(label, ": 'target_shape' must be a list of positive integers or -1, got ", t.dump());
  if (std::count(target_.begin(), target_.end(), -1) > 1)
    fail<ValueError>(label, ": 'target_shape' may hold at most one -1, got ", t.dump());
}

Shape Reshape::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  if (in.empty()) shapeError("expects an input with a batch dimension, got a scalar");
  int64_t size = 1;  // elements per example, -1 when unknown
  for (size_t d = 1; d < in.size(); ++d) size = (size < 0 || in[d] < 0) ? -1 : size * in[d];
  int64_t known = 1;  // product of the target's fixed entries
  for (int64_t d : target_)
    if (d > 0) known *= d;
  Shape out{in[0]};
  out.insert(out.end(), target_.begin(), target_.end());
  const auto inferred = std::find(out.begin() + 1, out.end(), -1);
  if (size < 0) return out;  // the inferred entry stays unknown
  const bool fits = inferred == out.end() ? size == known : size % known == 0;
  if (!fits)
    shapeError("cannot reshape input " + shapeToString(in) + " (" + std::to_string(size) +
               " values per example) into target_shape " + Json(target_).dump());
  if (inferred != out.end()) *inferred = size / known;
  return out;
}

LayerCall Reshape::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  LayerCall result{x.reshape(computeOutputShape({x.shape()})), {}};
  if (!ctx.record || !ctx.inputNeedsGrad(0)) return result;
  result.backward = [shape = x.shape()](const Tensor& dy, Gradients&) {
    return std::vector<Tensor>{dy.reshape(shape)};
  };
  return result;
}

Json Reshape::getConfig() const {
  Json c = Layer::getConfig();
  c["target_shape"] = target_;
  return c;
}

template <>
LayerRegistration registration<Reshape>() {
  return {"Reshape", createAs<Reshape>, {LayerExample{{{"target_shape", Json::array({6})}}, {{2, 3, 2}}}}};
}

}  // namespace tanuki
