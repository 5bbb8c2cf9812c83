// Layer names for models built from another format's graph (ONNX, TF graph
// models): node names made valid Keras layer names, each given out once.
#pragma once

#include <set>
#include <string>

namespace tanuki::io {

// Letters, digits, '_', '-' and '.' kept, anything else '_'; no leading '_' or '.'.
std::string sanitizeLayerName(const std::string& name);

class LayerNames {
 public:
  // sanitizeLayerName(wanted) (or `fallback` when that is empty), with a
  // "_1", "_2" ... suffix when the name is taken.
  std::string unique(const std::string& wanted, const std::string& fallback);

 private:
  std::set<std::string> used_;
};

}  // namespace tanuki::io
