// How every binding is registered: bindFunction() for a free function,
// BoundClass for a class and its methods, bindVector() for a list type.
// Each runs its body through guarded() (guard.h), so a binding cannot forget
// its guard, and records its name ("name", "Class" or "Class.method"; a
// class's constructor can only be added guarded) in the list that
// guardedBindings() returns: tests/js/bindings_guard.test.mjs compares that
// list with everything Embind exposes, so a binding registered any other way
// is caught. Bodies are captureless lambdas (default-constructible in C++20),
// which is what lets one function pointer per body carry the guard.
#pragma once

#include <emscripten/bind.h>

#include <string>
#include <utility>
#include <vector>

#include "guard.h"

namespace tanuki::bindings {

// "name", "Class" or "Class.method", in registration order.
void recordGuardedBinding(std::string name);
const std::vector<std::string>& guardedBindingNames();

namespace detail {
template <class Body, class R, class... Args>
R callGuarded(Args... args) {
  return guarded([&]() -> R { return Body{}(std::forward<Args>(args)...); });
}

template <class Body, class R, class... Args>
auto guardedPointer(R (Body::*)(Args...) const) {
  return &callGuarded<Body, R, Args...>;
}
}  // namespace detail

// The body as a plain function pointer that runs it through guarded().
template <class Body>
auto guard(Body) {
  return detail::guardedPointer<Body>(&Body::operator());
}

template <class Body>
void bindFunction(const char* name, Body body) {
  recordGuardedBinding(name);
  emscripten::function(name, guard(body));
}

// emscripten::class_ whose methods can only be added guarded. A method's
// body takes the object as its first parameter.
template <class T, class BaseSpecifier = emscripten::internal::NoBaseClass>
class BoundClass {
 public:
  explicit BoundClass(const char* name) : name_(name), class_(name) { recordGuardedBinding(name_); }

  template <class Pointer>
  BoundClass& smartPtr(const char* name) {
    class_.template smart_ptr<Pointer>(name);
    return *this;
  }

  template <class Body>
  BoundClass& constructor(Body body) {
    class_.constructor(guard(body));
    return *this;
  }

  template <class Body>
  BoundClass& method(const char* name, Body body) {
    recordGuardedBinding(name_ + "." + name);
    class_.function(name, guard(body));
    return *this;
  }

 private:
  std::string name_;
  emscripten::class_<T, BaseSpecifier> class_;
};

// A std::vector<T> as JS builds and reads it (wasm/js/memory.js): new,
// push_back, size, get.
template <class T>
void bindVector(const char* name) {
  using Vector = std::vector<T>;
  BoundClass<Vector>(name)
      .constructor([] { return Vector(); })
      .method("push_back", [](Vector& v, const T& item) { v.push_back(item); })
      .method("size", [](const Vector& v) { return v.size(); })
      .method("get", [](const Vector& v, size_t i) {
        if (i >= v.size()) fail<ValueError>("index ", i, " is out of range for a list of ", v.size());
        return v[i];
      });
}

}  // namespace tanuki::bindings
