// Finding the part of a model that training does not change.
//
// A node is "static" when its layer has no trainable weights, draws no random
// numbers in training (Dropout, random augmentation) and all its inputs are
// static: its output is the same in every epoch, so fit() can compute it once
// per sample and train the rest of the model on the cached activations.
#pragma once

#include <string>

#include "models/functional.h"

namespace tanuki {

// The deepest static layer at which the model can be split (no skip
// connection across it); "" when there is none worth caching (the model's
// input itself).
std::string cacheableBoundary(const Functional& model);

}  // namespace tanuki
