// Importing ONNX models. JavaScript reads the .onnx bytes (and any external
// data files) from the source (wasm/js/io/onnx_model.js); reading the
// protobuf and building the model happen here.
#include "bind.h"
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
}  // namespace

EMSCRIPTEN_BINDINGS(tanuki_onnx) {
  bindFunction("loadOnnxModel",
               [](const std::string& bytes, const std::string& optionsJson, const std::string& externalBytes) {
                 return loadOnnx(bytes, optionsJson, externalBytes);
               });
}

}  // namespace tanuki::bindings
