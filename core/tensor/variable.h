// Variable: a named, mutable weight of a layer.
//
// Keras distinguishes two reasons a weight is not trained: the weight itself
// is never trained (BatchNormalization's moving statistics), or its layer is
// frozen (`layer.trainable = false`). Both are kept here so that
// `variable.trainable` answers the effective question, as in TensorFlow.js.
#pragma once

#include <memory>
#include <string>

#include "tensor/tensor.h"

namespace tanuki {

class Variable {
 public:
  Variable(std::string name, Tensor value, bool trainable)
      : name_(std::move(name)), value_(std::move(value)), intrinsicTrainable_(trainable) {}

  const std::string& name() const { return name_; }
  const Shape& shape() const { return value_.shape(); }
  const Tensor& value() const { return value_; }
  // For writing in place (optimizers, moving statistics): counts as a change.
  Tensor& mutableValue() {
    ++version_;
    return value_;
  }
  // Replaces the value; the shape must stay the same.
  void assign(const Tensor& value);
  // Changes with every assign() and mutableValue(): what is computed from
  // the value (folded inference weights) is recomputed when it moves.
  uint64_t version() const { return version_; }

  // Trained by gradient descent when its layer is trainable.
  bool intrinsicTrainable() const { return intrinsicTrainable_; }
  bool trainable() const { return intrinsicTrainable_ && layerTrainable_; }
  void setLayerTrainable(bool trainable) { layerTrainable_ = trainable; }

 private:
  std::string name_;
  Tensor value_;
  bool intrinsicTrainable_;
  bool layerTrainable_ = true;
  uint64_t version_ = 0;
};

using VariablePtr = std::shared_ptr<Variable>;

}  // namespace tanuki
