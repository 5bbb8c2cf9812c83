// Layer: the unit every model is made of, with Keras's semantics defined
// once here and never per layer:
//   - weights / trainableWeights / nonTrainableWeights (in creation order);
//   - `trainable`: a frozen layer's weights are all non-trainable;
//   - the `training` call argument, separate from `trainable` (a layer that
//     behaves differently in training, like BatchNormalization, uses its
//     training behaviour only when called with training=true AND trainable);
//   - build(inputShapes) creates the weights once the input shape is known;
//   - a Keras config (getConfig) from which the layer can be rebuilt.
//
// Each layer computes its forward pass and, when asked to record, returns a
// BackwardFn closure holding just what its gradient needs.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "layers/config/config_reader.h"
#include "layers/fusion.h"
#include "layers/gradients.h"
#include "tensor/tensor.h"
#include "tensor/variable.h"

namespace tanuki {

struct CallContext {
  bool training = false;
  // Record for backward: the call returns a BackwardFn (when anything below or
  // inside needs a gradient).
  bool record = false;
  // One flag per input: whether dLoss/dInput is wanted. Read only when recording.
  std::vector<bool> inputsNeedGrad;
  // A clamp the layer applies to its output itself (and to its gradient),
  // set only for a layer whose absorbsClamp(training) is true: the model
  // then skips the ReLU that would have computed it.
  std::optional<ClampRange> clamp;

  bool anyInputNeedsGrad() const;
  bool inputNeedsGrad(size_t i) const { return i < inputsNeedGrad.size() && inputsNeedGrad[i]; }
};

struct LayerCall {
  Tensor output;
  BackwardFn backward;  // empty when nothing needs a gradient
};

class Layer : public std::enable_shared_from_this<Layer> {
 public:
  // Reads the config fields every layer has: name (made unique when absent)
  // and trainable. `defaultName` is the snake_case class name ("dense").
  Layer(const ConfigReader& config, const std::string& defaultName);
  virtual ~Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  virtual std::string className() const = 0;
  const std::string& name() const { return name_; }

  // --- Keras's trainable API ------------------------------------------------
  bool trainable() const { return trainable_; }
  // Models override this to freeze or unfreeze every layer inside, recursively.
  virtual void setTrainable(bool trainable) { setOwnTrainable(trainable); }
  // Sets this layer's own flag only (used to restore a compile-time snapshot).
  void setOwnTrainable(bool trainable);

  virtual std::vector<VariablePtr> weights() const { return weights_; }
  std::vector<VariablePtr> trainableWeights() const;
  std::vector<VariablePtr> nonTrainableWeights() const;
  int64_t countParams() const;
  std::vector<Tensor> getWeights() const;  // copies, in `weights` order
  void setWeights(const std::vector<Tensor>& values);

  // Layers inside this one (models); empty for plain layers.
  virtual std::vector<std::shared_ptr<Layer>> sublayers() const { return {}; }

  // --- shapes and building --------------------------------------------------
  bool built() const { return built_; }
  // Creates the weights for these input shapes (batch dimension may be -1).
  void build(const std::vector<Shape>& inputShapes);
  // Validates the inputs and returns the output shape; throws ValueError
  // naming this layer when the inputs do not fit.
  virtual Shape computeOutputShape(const std::vector<Shape>& inputShapes) const = 0;
  // Number of inputs the layer takes (-1: any number >= 2, e.g. Add).
  virtual int inputCount() const { return 1; }

  // --- computing --------------------------------------------------------------
  // Eager call on concrete tensors: builds on first use and checks shapes.
  LayerCall apply(const std::vector<Tensor>& inputs, const CallContext& ctx);
  Tensor apply(const Tensor& input, bool training = false);

  // --- serialization ----------------------------------------------------------
  // The Keras config of this layer ({"name": ..., "trainable": ..., ...}).
  virtual Json getConfig() const;
  // `batch_input_shape` from the config, if the layer was given one (the
  // first layer of a Sequential model declares its input this way).
  const std::optional<Shape>& batchInputShape() const { return batchInputShape_; }

  // --- what the inference plan may fuse (layers/fusion.h) ---------------------
  // This layer as a producer that can absorb a following normalization and
  // clamp; null when it cannot (other layers, or a non-linear activation).
  virtual const FusableProducer* fusableProducer() const { return nullptr; }
  // The clamp this layer amounts to, if it is one.
  virtual std::optional<ClampRange> clampRange() const { return std::nullopt; }
  // Whether, called with `training`, this layer is the per-channel affine map
  // channelAffine() (BatchNormalization in inference mode).
  virtual bool isChannelAffine(bool /*training*/) const { return false; }
  virtual ChannelAffine channelAffine() const;
  // Whether, called with `training` while recording, this layer can apply a
  // following clamp (CallContext::clamp) to its output and gradient itself,
  // saving that ReLU's passes over the activations.
  virtual bool absorbsClamp(bool /*training*/) const { return false; }
  // The padding this layer adds, if adding zeros around images is all it does.
  virtual const kernels::Padding2D* zeroPadding() const { return nullptr; }

 protected:
  // Called by apply() after the shapes were checked and the layer built.
  virtual LayerCall call(const std::vector<Tensor>& inputs, const CallContext& ctx) = 0;
  // Creates weights; shapes are already validated by computeOutputShape.
  virtual void onBuild(const std::vector<Shape>& /*inputShapes*/) {}
  VariablePtr addWeight(const std::string& name, const Shape& shape, const std::string& initializer, bool trainable);

  // Whether a recorded call must produce a BackwardFn.
  bool needsBackward(const CallContext& ctx) const;
  // Shape-check helpers for computeOutputShape implementations.
  [[noreturn]] void shapeError(const std::string& what) const;
  const Shape& singleInput(const std::vector<Shape>& inputShapes) const;

 private:
  std::string name_;
  bool trainable_ = true;
  bool built_ = false;
  std::vector<VariablePtr> weights_;
  std::optional<Shape> batchInputShape_;  // from the config, kept for serialization
};

using LayerPtr = std::shared_ptr<Layer>;

// The one rule for whether a backward pass produces a weight's gradient: the
// weight exists (e.g. a bias with use_bias) and trains, by its own flag and
// its layer's (Variable::trainable).
inline bool trains(const VariablePtr& weight) { return weight && weight->trainable(); }

// "dense", "dense_1", ... unique within the process, as Keras names layers.
std::string uniqueLayerName(const std::string& base);
// Every layer below (and including) `root`, depth first, each once.
std::vector<LayerPtr> flattenLayers(const LayerPtr& root);

}  // namespace tanuki
