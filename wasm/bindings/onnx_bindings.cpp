// Importing and exporting ONNX models. JavaScript reads the .onnx bytes (and
// any external data files) from the source, or writes the exported bytes
// (wasm/js/io/onnx_model.js); the protobuf and the graphs are handled here.
#include "bind.h"
#include "io/onnx/onnx_export.h"
#include "io/onnx/onnx_import.h"
#include "io/onnx/onnx_reader.h"
#include "json_util.h"

namespace tanuki::bindings {

namespace {
// options: {"inputShape": [h, w, c]?, "externalData": {"name": [offset, length]}},
// the external files' bytes concatenated in `externalBytes`.
ModelPtr loadOnnx(const std::string& bytes, const std::string& optionsJson, const std::string& externalBytes) {
  const Json options = parseJson(optionsJson, "the ONNX options");
  io::onnx::ExternalFiles external;
  if (options.contains("externalData"))
    for (const auto& [name, range] : options["externalData"].items()) {
      const auto offset = range.at(0).get<size_t>(), length = range.at(1).get<size_t>();
      if (offset > externalBytes.size() || length > externalBytes.size() - offset)
        fail<ValueError>("externalData '", name, "' lies outside the bytes passed");
      external[name] = std::string_view(externalBytes).substr(offset, length);
    }
  io::onnx::ImportOptions importOptions;
  if (options.contains("inputShape") && !options["inputShape"].is_null())
    importOptions.inputShape = options["inputShape"].get<Shape>();
  const auto model = io::onnx::readOnnxModel(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), external);
  return io::onnx::importOnnxModel(model, importOptions);
}

// options: {"opset": 13, "inputLayout": "nhwc" | "nchw"}.
io::onnx::ExportedOnnx exportOnnx(const Model& model, const std::string& optionsJson) {
  const Json options = parseJson(optionsJson, "the ONNX export options");
  io::onnx::ExportOptions exportOptions;
  if (options.contains("opset")) exportOptions.opset = options["opset"].get<int64_t>();
  const std::string layout = options.value("inputLayout", std::string("nhwc"));
  if (layout != "nhwc" && layout != "nchw")
    fail<ValueError>("inputLayout must be 'nhwc' or 'nchw', got '", layout, "'");
  exportOptions.nchwInput = layout == "nchw";
  return io::onnx::exportOnnxModel(model, exportOptions);
}
}  // namespace

EMSCRIPTEN_BINDINGS(tanuki_onnx) {
  bindFunction("loadOnnxModel",
               [](const std::string& bytes, const std::string& optionsJson, const std::string& externalBytes) {
                 return loadOnnx(bytes, optionsJson, externalBytes);
               });
  BoundClass<io::onnx::ExportedOnnx>("ExportedOnnx")
      .method("bytesPointer",
              [](const io::onnx::ExportedOnnx& e) { return reinterpret_cast<uintptr_t>(e.bytes.data()); })
      .method("bytesSize", [](const io::onnx::ExportedOnnx& e) { return e.bytes.size(); })
      .method("dropped", [](const io::onnx::ExportedOnnx& e) { return Json(e.dropped).dump(); });
  bindFunction("exportOnnxModel",
               [](const Model& model, const std::string& optionsJson) { return exportOnnx(model, optionsJson); });
}

}  // namespace tanuki::bindings
