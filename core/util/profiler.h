// Profiler: where a model's time goes, layer by layer.
//
// Off by default (one branch per layer call when off). While on, the model
// code adds the wall time of every layer call to an entry keyed by what ran
// (a layer class, or a fused chain such as "Conv2D+BatchNormalization+ReLU")
// and the phase ("inference", "forward", "backward", "optimizer"), and when
// started by layer, the layer's name too (a fused chain's convolution's).
// Used by the benchmark to explain its numbers; calls come from the thread
// that drives the model, never from inside kernels' parallel tasks.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tanuki::profiler {

struct Entry {
  // layer: empty unless started by layer, and for time no layer spends (the
  // optimizer, gradients of a shared tensor summed).
  std::string what, layer, phase;
  double seconds = 0;
  int64_t calls = 0;
};

// Clears the entries and starts recording; byLayer keeps each layer's calls
// apart (the layer's name in Entry::layer) rather than adding up a class's.
void start(bool byLayer = false);
// Stops recording and returns the entries, the most expensive first.
std::vector<Entry> stop();
bool enabled();
bool byLayer();
void add(const std::string& what, const std::string& layer, const char* phase, double seconds);

// Adds the time from construction to destruction, when the profiler is on
// (and `what` is not empty: callers pass "" for what they do not count).
class Scope {
 public:
  Scope(const std::string& what, const char* phase, const std::string& layer = {}) : phase_(phase) {
    if (!what.empty() && enabled()) {
      what_ = what;
      if (byLayer()) layer_ = layer;
      begin_ = std::chrono::steady_clock::now();
      on_ = true;
    }
  }
  ~Scope() {
    if (on_)
      add(what_, layer_, phase_, std::chrono::duration<double>(std::chrono::steady_clock::now() - begin_).count());
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  std::string what_, layer_;
  const char* phase_;
  std::chrono::steady_clock::time_point begin_;
  bool on_ = false;
};

}  // namespace tanuki::profiler
