// The thread pool's controls, for the loader (wasm/js/loader.js): how many
// threads kernels split work over, and starting the helpers before first use.
#include <emscripten/bind.h>

#include "util/thread_pool.h"

namespace tanuki::bindings {

EMSCRIPTEN_BINDINGS(tanuki_threads) {
  emscripten::function("setThreadCount", &setThreadCount);
  emscripten::function("threadCount", &threadCount);
  emscripten::function("maxThreadCount", &maxThreadCount);
  emscripten::function("startThreads", &startThreads);
  emscripten::function("startedHelperCount", &startedHelperCount);
}

}  // namespace tanuki::bindings
