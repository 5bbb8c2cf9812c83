// Sequential: a plain stack of single-input layers (tk.sequential({layers})).
// The input shape comes from an InputLayer first in the stack or from the
// first layer's inputShape / batch_input_shape; without one, the model is
// built on its first call.
#pragma once

#include <optional>

#include "models/model.h"

namespace tanuki {

class Sequential : public Model {
 public:
  explicit Sequential(const std::string& name = "");
  std::string className() const override { return "Sequential"; }

  // Adds a layer on top; checks it fits the current output shape when known.
  void add(const LayerPtr& layer);
  // Removes the top layer (Keras's pop()).
  void pop();

  std::vector<LayerPtr> layers() const override { return layers_; }
  std::vector<std::pair<LayerPtr, Shape>> layerOutputShapes() const override;
  Shape computeOutputShape(const std::vector<Shape>& inputShapes) const override;
  const std::optional<Shape>& inputShape() const { return inputShape_; }
  // The same layers as a functional graph (Keras builds one for a Sequential
  // with a known input shape), so that it can be cut or nested symbolically.
  std::shared_ptr<class Functional> toFunctional() const;

 protected:
  void onBuild(const std::vector<Shape>& inputShapes) override;
  LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) override;

 private:
  std::vector<LayerPtr> layers_;
  std::optional<Shape> inputShape_;
};

}  // namespace tanuki
