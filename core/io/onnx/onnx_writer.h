// Writes an OnnxModel (onnx_graph.h) as an ONNX file: a serialized
// onnx.ModelProto, encoded with protozero, the library the reader uses.
// The inverse of readOnnxModel for everything the graph holds.
#pragma once

#include <cstdint>
#include <string>

#include "io/onnx/onnx_graph.h"

namespace tanuki::io::onnx {

// The IR version a file declaring this default-domain opset needs (the
// oldest that defines it, so that older runtimes still read the file).
int64_t irVersionForOpset(int64_t opset);

// Float initializers are written as little-endian raw_data, integer ones as
// int64 raw_data. A ValueInfo dimension of -1 becomes a symbolic dimension:
// "batch" on the first axis, "d<axis>" elsewhere.
std::string writeOnnxModel(const OnnxModel& model);

}  // namespace tanuki::io::onnx
