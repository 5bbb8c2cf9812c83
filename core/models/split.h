// Splitting a functional model in two at a layer's output, sharing the
// layers (and so the weights): bottom = inputs -> that output, top = a new
// input of that shape -> the model's output. Used to cache the activations of
// a frozen bottom once and train only the top on them.
#pragma once

#include <memory>

#include "models/functional.h"

namespace tanuki {

struct SplitModel {
  std::shared_ptr<Functional> bottom, top;
};

// Throws ValueError when something above the layer also reads a tensor from
// below it (a skip connection across the cut), naming the layer at fault.
SplitModel splitAt(const Functional& model, const std::string& layerName);

// Why splitAt would fail at that layer, or "" when it would not.
std::string splitObstacle(const Functional& model, const std::string& layerName);

}  // namespace tanuki
