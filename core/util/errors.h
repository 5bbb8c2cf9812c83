// Errors the core raises. Every failure a user can cause is one of these,
// with a message that names what was wrong; the bindings turn them into
// JavaScript exceptions without ever aborting the WebAssembly instance.
#pragma once

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

// Builds a message from streamable parts: fail<ValueError>("bad ", x).
template <class E, class... Parts>
[[noreturn]] void fail(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  throw E(out.str());
}

}  // namespace tanuki
