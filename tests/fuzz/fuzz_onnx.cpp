// libFuzzer target: an ONNX file, read and imported twice (as declared, and
// with the input shape fixed to 8x8x3). Every input must end in a model or a
// Tanuki error, never a crash or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <exception>

#include "io/onnx/onnx_import.h"
#include "io/onnx/onnx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tanuki::io::onnx;
  try {
    const OnnxModel model = readOnnxModel(data, size);
    try {
      importOnnxModel(model);
    } catch (const std::exception&) {
    }
    importOnnxModel(model, ImportOptions{tanuki::Shape{8, 8, 3}});
  } catch (const std::exception&) {
  }
  return 0;
}
