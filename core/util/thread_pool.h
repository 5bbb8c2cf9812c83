// A tiny fixed pool of worker threads and a parallel-for on it.
//
// The core splits batch work (GEMM tiles, image rows, channel blocks) into
// tasks and runs them on the calling thread plus the pool's helpers. Builds
// without threads (the single-threaded WebAssembly module) run every task on
// the calling thread, so kernels are written once for both.
//
// Nested calls (a parallel-for inside a task) run serially on the thread that
// makes them: the outer split already keeps every thread busy.
#pragma once

#include <cstdint>
#include <functional>

namespace tanuki {

// Tasks [begin, end) of [0, count): body is called with disjoint ranges that
// together cover [0, count), from up to threadCount() threads at once, and
// parallelFor returns when all have run. An exception thrown by the body is
// rethrown here (the first one, once every task has finished).
void parallelFor(int64_t count, const std::function<void(int64_t begin, int64_t end)>& body);

// parallelFor when `onPool`, else body(0, count) on the calling thread alone:
// a small job ends before the pool's helpers would wake. What counts as small
// is the caller's to say (a GEMM by its multiply-adds, an optimizer step by
// its values), next to its reason.
template <typename Body>
void parallelForIf(bool onPool, int64_t count, const Body& body) {
  if (onPool) {
    parallelFor(count, body);
  } else if (count > 0) {
    body(0, count);
  }
}

// Threads that take part in a parallelFor, the calling one included (>= 1).
int threadCount();
// Sets the number of threads (clamped to [1, maxThreadCount()]); helpers are
// started on first need and kept. Not to be called from inside a task.
void setThreadCount(int count);
// Most threads this build can run: 1 without thread support.
int maxThreadCount();
// Helpers that have started running. A browser's main thread must not block
// before its helpers run (they start on its event loop), so the WebAssembly
// loader starts them with startThreads() and waits for this count to reach
// threadCount() - 1 before the first parallelFor.
int startedHelperCount();
void startThreads();

}  // namespace tanuki
