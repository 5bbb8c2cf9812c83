// TF.js graph model -> Tanuki functional model. The graph is frozen
// TensorFlow, NHWC like Tanuki, so kernels keep their layout: a Conv2D's
// [kh, kw, in, out] is Keras's. Const nodes that are weights become the
// weights of the layer that reads them; arithmetic with constants (input
// scaling, the per-channel Mul/Add of a folded BatchNorm) is folded into the
// preceding convolution or dense layer where it is that layer's only reader,
// and otherwise becomes a Rescaling or a frozen per-channel 1x1 depthwise
// convolution (as the ONNX importer does).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "io/graph_model/graph_model.h"
#include "models/model.h"
#include "tensor/tensor.h"

namespace tanuki::io::graph_model {

struct ImportOptions {
  // Fixes the dynamic dimensions of the inputs: [h, w, c] (no batch).
  std::optional<Shape> inputShape;
};

// Throws FormatError for graphs the importer cannot express exactly: an
// unsupported op (naming op and node), or attributes Tanuki's layers have
// no equivalent for. `weights` holds every Const node's value by node name.
ModelPtr importGraphModel(const GraphModel& graph, const std::map<std::string, Tensor>& weights,
                          const std::map<std::string, std::string>& weightDtypes, const ImportOptions& options = {});

// model.json (already parsed) and the concatenated weight shards -> model.
ModelPtr loadGraphModel(const Json& modelJson, const uint8_t* weights, size_t size, const ImportOptions& options = {});

// The TensorFlow ops the importer converts (for messages and documentation).
std::vector<std::string> supportedGraphOps();

}  // namespace tanuki::io::graph_model
