#include "util/profiler.h"

#include <algorithm>
#include <map>
#include <utility>

namespace tanuki::profiler {

namespace {
bool on = false;
std::map<std::pair<std::string, std::string>, Entry> entries;
}  // namespace

void start() {
  entries.clear();
  on = true;
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

void add(const std::string& what, const char* phase, double seconds) {
  Entry& e = entries[{what, phase}];
  if (e.calls == 0) {
    e.what = what;
    e.phase = phase;
  }
  e.seconds += seconds;
  ++e.calls;
}

}  // namespace tanuki::profiler
