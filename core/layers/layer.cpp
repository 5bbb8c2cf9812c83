#include "layers/layer.h"

#include <map>
#include <unordered_set>

#include "tensor/initializers.h"
#include "util/errors.h"

namespace tanuki {

bool CallContext::anyInputNeedsGrad() const {
  for (bool b : inputsNeedGrad)
    if (b) return true;
  return false;
}

std::string uniqueLayerName(const std::string& base) {
  static std::map<std::string, int> counters;
  const int n = counters[base]++;
  return n == 0 ? base : base + "_" + std::to_string(n);
}

Layer::Layer(const ConfigReader& config, const std::string& defaultName) {
  name_ = config.getString("name", "");
  if (name_.empty()) name_ = uniqueLayerName(defaultName);
  trainable_ = config.getBool("trainable", true);
  batchInputShape_ = config.getShape("batch_input_shape");
  if (!batchInputShape_) {
    if (auto s = config.getShape("input_shape")) {
      Shape withBatch{-1};
      withBatch.insert(withBatch.end(), s->begin(), s->end());
      batchInputShape_ = withBatch;
    }
  }
}

void Layer::setOwnTrainable(bool trainable) {
  trainable_ = trainable;
  for (auto& w : weights_) w->setLayerTrainable(trainable);
}

std::vector<VariablePtr> Layer::trainableWeights() const {
  std::vector<VariablePtr> out;
  if (!trainable_) return out;
  for (auto& w : weights())
    if (w->trainable()) out.push_back(w);
  return out;
}

std::vector<VariablePtr> Layer::nonTrainableWeights() const {
  std::vector<VariablePtr> out;
  for (auto& w : weights())
    if (!trainable_ || !w->trainable()) out.push_back(w);
  return out;
}

int64_t Layer::countParams() const {
  int64_t n = 0;
  for (auto& w : weights()) n += w->value().size();
  return n;
}

std::vector<Tensor> Layer::getWeights() const {
  std::vector<Tensor> out;
  for (auto& w : weights()) out.push_back(w->value().clone());
  return out;
}

void Layer::setWeights(const std::vector<Tensor>& values) {
  const auto ws = weights();
  if (values.size() != ws.size())
    fail<ValueError>("layer '", name_, "' has ", ws.size(), " weights, setWeights got ", values.size());
  for (size_t i = 0; i < ws.size(); ++i)
    if (values[i].shape() != ws[i]->shape())
      fail<ValueError>("layer '", name_, "': weight '", ws[i]->name(), "' has shape ", shapeToString(ws[i]->shape()),
                       ", setWeights got ", shapeToString(values[i].shape()));
  for (size_t i = 0; i < ws.size(); ++i) ws[i]->assign(values[i]);
}

void Layer::build(const std::vector<Shape>& inputShapes) {
  if (built_) return;
  computeOutputShape(inputShapes);  // validates before any weight exists
  onBuild(inputShapes);
  built_ = true;
}

LayerCall Layer::apply(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  std::vector<Shape> shapes;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined()) fail<ValueError>("layer '", name_, "': input ", i, " is empty");
    shapes.push_back(inputs[i].shape());
  }
  if (!built_) {
    std::vector<Shape> buildShapes = shapes;
    for (auto& s : buildShapes)
      if (!s.empty()) s[0] = -1;  // weights never depend on the batch size
    build(buildShapes);
  } else {
    computeOutputShape(shapes);
  }
  return call(inputs, ctx);
}

Tensor Layer::apply(const Tensor& input, bool training) {
  CallContext ctx;
  ctx.training = training;
  return apply(std::vector<Tensor>{input}, ctx).output;
}

Json Layer::getConfig() const {
  Json config = {{"name", name_}, {"trainable", trainable_}, {"dtype", "float32"}};
  if (batchInputShape_) config["batch_input_shape"] = shapeToJson(*batchInputShape_);
  return config;
}

VariablePtr Layer::addWeight(const std::string& name, const Shape& shape, const std::string& initializer,
                             bool trainable) {
  auto v = std::make_shared<Variable>(name_ + "/" + name, initialize(initializer, shape), trainable);
  v->setLayerTrainable(trainable_);
  weights_.push_back(v);
  return v;
}

ChannelAffine Layer::channelAffine() const {
  fail<StateError>(className(), " '", name_, "' is not a per-channel affine map");
}

bool Layer::needsBackward(const CallContext& ctx) const {
  return ctx.record && (ctx.anyInputNeedsGrad() || !trainableWeights().empty());
}

void Layer::shapeError(const std::string& what) const { fail<ValueError>(className(), " '", name_, "': ", what); }

const Shape& Layer::singleInput(const std::vector<Shape>& inputShapes) const {
  if (inputShapes.size() != 1) shapeError("expects 1 input, got " + std::to_string(inputShapes.size()));
  return inputShapes[0];
}

std::vector<LayerPtr> flattenLayers(const LayerPtr& root) {
  std::vector<LayerPtr> out;
  std::unordered_set<const Layer*> seen;
  std::function<void(const LayerPtr&)> visit = [&](const LayerPtr& l) {
    if (!seen.insert(l.get()).second) return;
    out.push_back(l);
    for (auto& s : l->sublayers()) visit(s);
  };
  visit(root);
  return out;
}

}  // namespace tanuki
