#include <emscripten/bind.h>

#include <new>

#include "guard.h"

namespace tanuki::bindings {

namespace {
std::string lastKind, lastMessage;

// Returns "" when the previous call succeeded, otherwise "Kind\nmessage",
// and clears the record.
std::string takeLastError() {
  if (lastKind.empty()) return "";
  std::string out = lastKind + "\n" + lastMessage;
  lastKind.clear();
  lastMessage.clear();
  return out;
}
}  // namespace

void recordError(const char* kind, const char* message) {
  lastKind = kind;
  lastMessage = message;
}

void installOutOfMemoryHandler() { std::set_new_handler(&failOutOfMemory); }

EMSCRIPTEN_BINDINGS(tanuki_errors) {
  installOutOfMemoryHandler();
  // The guard's own channel, which guardCore calls after every other call:
  // the one binding not registered through bind.h.
  emscripten::function("takeLastError", &takeLastError);
}

}  // namespace tanuki::bindings
