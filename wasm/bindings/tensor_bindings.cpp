// Tensor and Variable. Tensor data moves through the WebAssembly heap: JS
// writes into / copies out of HEAPF32 at dataPointer().
#include <emscripten/bind.h>

#include "guard.h"
#include "json_util.h"
#include "tensor/variable.h"

using namespace emscripten;

namespace tanuki::bindings {

namespace {
Tensor makeTensor(const std::string& shapeJson) {
  return guarded([&] { return Tensor(shapeFromJson(shapeJson)); });
}
}  // namespace

EMSCRIPTEN_BINDINGS(tanuki_tensor) {
  class_<Tensor>("Tensor")
      .function("shapeJson", optional_override([](const Tensor& t) { return shapeToJsonText(t.shape()); }))
      .function("size", optional_override([](const Tensor& t) { return static_cast<double>(t.size()); }))
      .function("dataPointer", optional_override([](Tensor& t) { return reinterpret_cast<uintptr_t>(t.data()); }))
      .function("deepCopy", optional_override([](const Tensor& t) { return guarded([&] { return t.clone(); }); }))
      .function("reshape", optional_override([](const Tensor& t, const std::string& shape) {
                  return guarded([&] { return t.reshape(shapeFromJson(shape)); });
                }))
      .function("gather", optional_override([](const Tensor& t, const std::string& rowsJson) {
                  return guarded([&] { return t.gather(Json::parse(rowsJson).get<std::vector<int32_t>>()); });
                }));
  function("makeTensor", &makeTensor);
  register_vector<Tensor>("TensorVector");

  class_<Variable>("Variable")
      .smart_ptr<VariablePtr>("VariablePtr")
      .function("name", optional_override([](const Variable& v) { return v.name(); }))
      .function("shapeJson", optional_override([](const Variable& v) { return shapeToJsonText(v.shape()); }))
      .function("trainable", optional_override([](const Variable& v) { return v.trainable(); }))
      .function("read", optional_override([](const Variable& v) { return v.value().clone(); }))
      .function("assign", optional_override([](Variable& v, const Tensor& t) { guarded([&] { v.assign(t); }); }));
  register_vector<VariablePtr>("VariableVector");
}

}  // namespace tanuki::bindings
