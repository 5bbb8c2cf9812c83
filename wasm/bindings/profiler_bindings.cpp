// The layer profiler (core/util/profiler.h), for Instance.profile().
#include <emscripten/bind.h>

#include "guard.h"
#include "json_util.h"
#include "util/profiler.h"

namespace tanuki::bindings {

namespace {
// The entries as a JSON list of {what, phase, seconds, calls}.
std::string profilerStop() {
  return guarded([] {
    Json out = Json::array();
    for (const auto& e : profiler::stop())
      out.push_back({{"what", e.what}, {"phase", e.phase}, {"seconds", e.seconds}, {"calls", e.calls}});
    return out.dump();
  });
}
}  // namespace

EMSCRIPTEN_BINDINGS(tanuki_profiler) {
  emscripten::function("profilerStart", &profiler::start);
  emscripten::function("profilerStop", &profilerStop);
}

}  // namespace tanuki::bindings
