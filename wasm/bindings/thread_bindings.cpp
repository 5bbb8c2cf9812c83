// The thread pool's controls, for the loader (wasm/js/loader.js): how many
// threads kernels split work over, and starting the helpers before first use.
#include "bind.h"
#include "util/thread_pool.h"

namespace tanuki::bindings {

EMSCRIPTEN_BINDINGS(tanuki_threads) {
  bindFunction("setThreadCount", [](int count) { setThreadCount(count); });
  bindFunction("threadCount", [] { return threadCount(); });
  bindFunction("maxThreadCount", [] { return maxThreadCount(); });
  bindFunction("startThreads", [] { startThreads(); });
  bindFunction("startedHelperCount", [] { return startedHelperCount(); });
}

}  // namespace tanuki::bindings
