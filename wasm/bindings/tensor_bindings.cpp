// Tensor and Variable. Tensor data moves through the WebAssembly heap: JS
// writes into / copies out of HEAPF32 at dataPointer().
#include "bind.h"
#include "json_util.h"
#include "tensor/variable.h"

namespace tanuki::bindings {

EMSCRIPTEN_BINDINGS(tanuki_tensor) {
  BoundClass<Tensor>("Tensor")
      .method("shapeJson", [](const Tensor& t) { return shapeToJsonText(t.shape()); })
      .method("size", [](const Tensor& t) { return static_cast<double>(t.size()); })
      .method("dataPointer", [](Tensor& t) { return reinterpret_cast<uintptr_t>(t.data()); })
      .method("deepCopy", [](const Tensor& t) { return t.clone(); })
      .method("reshape", [](const Tensor& t, const std::string& shape) { return t.reshape(shapeFromJson(shape)); });
  bindFunction("makeTensor", [](const std::string& shapeJson) { return Tensor(shapeFromJson(shapeJson)); });
  bindVector<Tensor>("TensorVector");

  BoundClass<Variable>("Variable")
      .smartPtr<VariablePtr>("VariablePtr")
      .method("name", [](const Variable& v) { return v.name(); })
      .method("shapeJson", [](const Variable& v) { return shapeToJsonText(v.shape()); })
      .method("trainable", [](const Variable& v) { return v.trainable(); })
      .method("read", [](const Variable& v) { return v.value().clone(); })
      .method("assign", [](Variable& v, const Tensor& t) { v.assign(t); });
  bindVector<VariablePtr>("VariableVector");
}

}  // namespace tanuki::bindings
