#include "bind.h"

#include "json_util.h"

namespace tanuki::bindings {

namespace {
// Function-local, so that every EMSCRIPTEN_BINDINGS block can record into it
// whatever order the static initialisers run in.
std::vector<std::string>& names() {
  static std::vector<std::string> list;
  return list;
}
}  // namespace

void recordGuardedBinding(std::string name) { names().push_back(std::move(name)); }

const std::vector<std::string>& guardedBindingNames() { return names(); }

EMSCRIPTEN_BINDINGS(tanuki_bind) {
  bindFunction("guardedBindings", [] { return Json(guardedBindingNames()).dump(); });
}

}  // namespace tanuki::bindings
