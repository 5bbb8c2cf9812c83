// Constant evaluation for the ONNX importer: the ops exporters apply to
// initializers and to the Shape of a tensor (Gather, Slice, Concat,
// Unsqueeze, Cast, arithmetic ...), computed at import so that the model
// holds only layers. The batch size is unknown at import: elements derived
// from it carry a flag, and arithmetic on them is refused.
#pragma once

#include <cstdint>
#include <vector>

#include "io/onnx/onnx_graph.h"

namespace tanuki::io::onnx {

struct Constant {
  std::vector<int64_t> dims;
  std::vector<double> values;
  std::vector<bool> batch;  // per element: "the batch size"; empty when none is
  bool isInteger = false;

  static Constant of(const TensorData& t);
  int64_t size() const { return static_cast<int64_t>(values.size()); }
  bool isBatch(int64_t i) const { return !batch.empty() && batch[static_cast<size_t>(i)]; }
  bool anyBatch() const;
  // The values as integers (axes, shapes, pads); throws FormatError for batch elements.
  std::vector<int64_t> ints(const std::string& what) const;
};

// Each evaluates one ONNX op on constants, throwing FormatError (with
// `where`, the node's description) on inputs the op does not accept.
Constant foldElementwise(const std::string& opType, const Constant& a, const Constant& b, const std::string& where);
Constant foldGather(const Constant& data, const Constant& indices, int64_t axis, const std::string& where);
Constant foldSlice(const Constant& data, const std::vector<int64_t>& starts, const std::vector<int64_t>& ends,
                   std::vector<int64_t> axes, std::vector<int64_t> steps, const std::string& where);
Constant foldConcat(const std::vector<Constant>& parts, int64_t axis, const std::string& where);
Constant foldTranspose(const Constant& data, std::vector<int64_t> perm, const std::string& where);
Constant foldCast(Constant data, int64_t to, const std::string& where);
// Same values, new dimensions (Reshape, Squeeze, Unsqueeze, Flatten, Identity).
Constant withDims(Constant data, std::vector<int64_t> dims, const std::string& where);

// Normalizes a possibly negative axis for a rank; FormatError when out of range.
int64_t normalizeAxis(int64_t axis, int64_t rank, const std::string& where);

}  // namespace tanuki::io::onnx
