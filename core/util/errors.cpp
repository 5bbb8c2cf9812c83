#include "util/errors.h"

#include <mutex>
#include <new>

namespace tanuki {

namespace {
// One record for all threads: a kernel task's error is rethrown on the
// thread that called the kernel.
std::mutex raisedMutex;
std::optional<RaisedError> raised;
}  // namespace

void recordRaised(const char* kind, const std::string& message) {
  std::lock_guard<std::mutex> lock(raisedMutex);
  raised = RaisedError{kind, message};
}

std::optional<RaisedError> takeRaised() {
  std::lock_guard<std::mutex> lock(raisedMutex);
  std::optional<RaisedError> out = std::move(raised);
  raised.reset();
  return out;
}

void failOutOfMemory() {
  recordRaised("OutOfMemoryError", "out of memory: the WebAssembly heap cannot grow any further");
  throw std::bad_alloc();
}

}  // namespace tanuki
