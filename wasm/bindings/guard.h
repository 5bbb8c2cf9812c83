// guarded() runs a binding's body (every binding, through bind.h): a C++
// exception becomes a recorded error that the JavaScript side turns into a
// thrown Error right after the call returns (guardCore in wasm/js/errors.js).
// No exception ever crosses the WebAssembly boundary, so a bad call cannot
// abort the instance or leave its stack unwound half-way.
#pragma once

#include <new>
#include <string>
#include <type_traits>

#include "util/errors.h"

namespace tanuki::bindings {

void recordError(const char* kind, const char* message);

// Makes a failed allocation (operator new) record itself as an
// OutOfMemoryError before throwing std::bad_alloc (see RaisedError).
void installOutOfMemoryHandler();

template <class F>
auto guarded(F&& body) -> decltype(body()) {
  using R = decltype(body());
  takeRaised();  // an error recorded earlier and caught inside the core is not this call's
  try {
    return body();
  } catch (const std::bad_alloc&) {
    recordError("OutOfMemoryError", "out of memory: the WebAssembly heap cannot grow any further");
  } catch (const DivergedError& e) {
    recordError("TrainingDivergedError", e.what());
  } catch (const std::invalid_argument& e) {
    recordError("ValueError", e.what());
  } catch (const std::logic_error& e) {
    recordError("StateError", e.what());
  } catch (const std::exception& e) {
    recordError("FormatError", e.what());
  } catch (...) {
    // Where catch clauses cannot match by type (the threaded build), every
    // error ends here: the record fail() left says what it was.
    if (auto e = takeRaised()) {
      recordError(e->kind.c_str(), e->message.c_str());
    } else {
      recordError("Error", "unknown internal error");
    }
  }
  if constexpr (!std::is_void_v<R>) return R{};
}

}  // namespace tanuki::bindings
