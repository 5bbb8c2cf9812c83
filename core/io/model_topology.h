// The Keras model description in model.json ("modelTopology"): Sequential
// and functional models, nested models, shared layers, and the `training`
// argument recorded on a call. Parsing turns it into a Model; serializing
// turns a Model back into the same shape of JSON (what TF.js and Keras read).
#pragma once

#include "layers/config/config_reader.h"
#include "models/model.h"

namespace tanuki::io {

// From {"class_name": "Sequential"|"Model"|"Functional", "config": {...}} (the
// model_config inside modelTopology, or modelTopology itself when it has no
// model_config). Throws FormatError/ValueError naming the layer at fault.
ModelPtr modelFromConfig(const Json& modelConfig);

// {"class_name": ..., "config": ...} for a model.
Json modelToConfig(const Model& model);

}  // namespace tanuki::io
