// Heap statistics for leak tests and the memory report.
#include <emscripten/bind.h>
#include <malloc.h>

namespace tanuki::bindings {

namespace {
// Bytes currently allocated by malloc (live C++ objects and tensors).
double heapUsedBytes() { return static_cast<double>(mallinfo().uordblks); }
}  // namespace

EMSCRIPTEN_BINDINGS(tanuki_memory) { emscripten::function("heapUsedBytes", &heapUsedBytes); }

}  // namespace tanuki::bindings
