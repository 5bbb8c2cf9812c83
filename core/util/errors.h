// Errors the core raises. Every failure a user can cause is one of these,
// with a message that names what was wrong; the bindings turn them into
// JavaScript exceptions without ever aborting the WebAssembly instance.
#pragma once

#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tanuki {

// Wrong argument, shape or configuration supplied by the caller.
class ValueError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// A call made in the wrong order (fit before compile, use after dispose).
class StateError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// Unreadable or inconsistent files (models, weights, images).
class FormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Training would make the model non-finite (a NaN/Inf loss, or a step that
// turns weights into NaN/Inf); the weights are left as they were.
class DivergedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The name an error goes by in JavaScript (wasm/js/errors.js).
inline const char* errorKind(const ValueError*) { return "ValueError"; }
inline const char* errorKind(const StateError*) { return "StateError"; }
inline const char* errorKind(const FormatError*) { return "FormatError"; }
inline const char* errorKind(const DivergedError*) { return "TrainingDivergedError"; }

// The last error raised by fail() or failOutOfMemory(), kept aside for
// builds whose exception runtime cannot match a catch clause by type
// (Emscripten 3.1.6's threaded build with WebAssembly exceptions): the
// bindings' catch-all reports it with its kind and message.
struct RaisedError {
  std::string kind, message;
};
void recordRaised(const char* kind, const std::string& message);
std::optional<RaisedError> takeRaised();  // and forget it

// Records and throws; one copy per error class (kept out of line: fail()
// is instantiated for every combination of message parts).
template <class E>
[[noreturn]] __attribute__((noinline)) void raise(const std::string& message) {
  recordRaised(errorKind(static_cast<const E*>(nullptr)), message);
  throw E(message);
}

// Builds a message from streamable parts: fail<ValueError>("bad ", x).
template <class E, class... Parts>
[[noreturn]] void fail(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  raise<E>(out.str());
}

// Raises std::bad_alloc, recorded as an OutOfMemoryError.
[[noreturn]] void failOutOfMemory();

}  // namespace tanuki
