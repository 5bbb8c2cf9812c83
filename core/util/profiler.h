// Profiler: where a model's time goes, layer by layer.
//
// Off by default (one branch per layer call when off). While on, the model
// code adds the wall time of every layer call to an entry keyed by what ran
// (a layer class, or a fused chain such as "Conv2D+BatchNormalization+ReLU")
// and the phase ("inference", "forward", "backward", "optimizer"). Used by
// the benchmark to explain its numbers; calls come from the thread that
// drives the model, never from inside kernels' parallel tasks.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tanuki::profiler {

struct Entry {
  std::string what, phase;
  double seconds = 0;
  int64_t calls = 0;
};

// Clears the entries and starts recording.
void start();
// Stops recording and returns the entries, the most expensive first.
std::vector<Entry> stop();
bool enabled();
void add(const std::string& what, const char* phase, double seconds);

// Adds the time from construction to destruction, when the profiler is on
// (and `what` is not empty: callers pass "" for what they do not count).
class Scope {
 public:
  Scope(const std::string& what, const char* phase) : phase_(phase) {
    if (!what.empty() && enabled()) {
      what_ = what;
      begin_ = std::chrono::steady_clock::now();
      on_ = true;
    }
  }
  ~Scope() {
    if (on_) add(what_, phase_, std::chrono::duration<double>(std::chrono::steady_clock::now() - begin_).count());
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  std::string what_;
  const char* phase_;
  std::chrono::steady_clock::time_point begin_;
  bool on_ = false;
};

}  // namespace tanuki::profiler
