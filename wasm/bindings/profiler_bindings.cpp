// The layer profiler (core/util/profiler.h), for Instance.profile().
#include "bind.h"
#include "json_util.h"
#include "util/profiler.h"

namespace tanuki::bindings {

EMSCRIPTEN_BINDINGS(tanuki_profiler) {
  bindFunction("profilerStart", [](bool byLayer) { profiler::start(byLayer); });
  // The entries as a JSON list of {what, phase, seconds, calls}, with the
  // layer's name as `layer` when started by layer.
  bindFunction("profilerStop", [] {
    Json out = Json::array();
    for (const auto& e : profiler::stop()) {
      Json entry = {{"what", e.what}, {"phase", e.phase}, {"seconds", e.seconds}, {"calls", e.calls}};
      if (!e.layer.empty()) entry["layer"] = e.layer;
      out.push_back(std::move(entry));
    }
    return out.dump();
  });
}

}  // namespace tanuki::bindings
