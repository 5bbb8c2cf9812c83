// ONNX graph -> Tanuki functional model. ONNX image graphs are NCHW; the
// model built here is NHWC like every Tanuki model: 4-D inputs become
// [batch, h, w, c], weights are transposed as they are copied, and axes are
// remapped. Shape arithmetic that exporters emit (Shape -> Gather -> Concat
// -> Reshape) is evaluated once the input dimensions are known.
#pragma once

#include <optional>

#include "io/onnx/onnx_graph.h"
#include "models/model.h"

namespace tanuki::io::onnx {

// Opsets of the default domain the importer accepts.
constexpr int64_t kMinOpset = 9, kMaxOpset = 21;

struct ImportOptions {
  // Fixes the dynamic dimensions of the image inputs, Tanuki's way round:
  // [h, w, c] (no batch).
  std::optional<Shape> inputShape;
};

// Throws FormatError for graphs the importer cannot express exactly: an
// unsupported op (naming op type, node and opset), or a supported op with
// attributes Tanuki's layers have no equivalent for.
ModelPtr importOnnxModel(const OnnxModel& model, const ImportOptions& options = {});

// The op types the importer converts (for messages and documentation).
std::vector<std::string> supportedOnnxOps();

}  // namespace tanuki::io::onnx
