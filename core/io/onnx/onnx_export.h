// Tanuki model -> ONNX file, for inference in ONNX Runtime and other ONNX
// runtimes. Each layer becomes the ONNX ops computing what the layer computes
// in inference (training=false); weights become float initializers.
//
// Layout: Tanuki's image tensors are NHWC, ONNX's Conv and pooling ops NCHW.
// The graph transposes an image input to NCHW once, before the first op that
// needs it, runs NCHW from there, and transposes back only where a layer
// needs Tanuki's order (Flatten, Reshape, Dense, softmax ...) or a 4-D model
// output is produced. With nchwInput, image inputs and outputs are NCHW.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/model.h"

namespace tanuki::io::onnx {

// Default-domain opsets the exporter writes.
constexpr int64_t kMinExportOpset = 11, kMaxExportOpset = 21;

struct ExportOptions {
  int64_t opset = 13;
  // Rank-4 inputs and outputs as [batch, c, h, w] instead of [batch, h, w, c].
  bool nchwInput = false;
};

struct ExportedOnnx {
  std::string bytes;  // the serialized ModelProto
  // One line per layer left out because it is the identity in inference
  // (Dropout, random augmentation): "RandomFlip 'random_flip': ...".
  std::vector<std::string> dropped;
};

// Throws FormatError naming the layer and its class when a layer has no ONNX
// equivalent, and ValueError for an opset outside the supported range.
ExportedOnnx exportOnnxModel(const Model& model, const ExportOptions& options = {});

// The layer classes the exporter converts (every other class is refused).
std::vector<std::string> exportableLayerClasses();

}  // namespace tanuki::io::onnx
