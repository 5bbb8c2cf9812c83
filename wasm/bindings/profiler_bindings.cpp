// The layer profiler (core/util/profiler.h), for Instance.profile().
#include "bind.h"
#include "json_util.h"
#include "util/profiler.h"

namespace tanuki::bindings {

EMSCRIPTEN_BINDINGS(tanuki_profiler) {
  bindFunction("profilerStart", [] { profiler::start(); });
  // The entries as a JSON list of {what, phase, seconds, calls}.
  bindFunction("profilerStop", [] {
    Json out = Json::array();
    for (const auto& e : profiler::stop())
      out.push_back({{"what", e.what}, {"phase", e.phase}, {"seconds", e.seconds}, {"calls", e.calls}});
    return out.dump();
  });
}

}  // namespace tanuki::bindings
