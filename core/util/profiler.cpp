#include "util/profiler.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

namespace tanuki::profiler {

namespace {
bool on = false, perLayer = false;
std::map<std::tuple<std::string, std::string, std::string>, Entry> entries;
}  // namespace

void start(bool byLayer) {
  entries.clear();
  on = true;
  perLayer = byLayer;
}

std::vector<Entry> stop() {
  on = false;
  std::vector<Entry> out;
  for (auto& [key, entry] : entries) out.push_back(std::move(entry));
  entries.clear();
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.seconds > b.seconds; });
  return out;
}

bool enabled() { return on; }

bool byLayer() { return perLayer; }

void add(const std::string& what, const std::string& layer, const char* phase, double seconds) {
  Entry& e = entries[{what, layer, phase}];
  if (e.calls == 0) {
    e.what = what;
    e.layer = layer;
    e.phase = phase;
  }
  e.seconds += seconds;
  ++e.calls;
}

}  // namespace tanuki::profiler
