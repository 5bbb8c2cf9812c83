// Heap statistics for leak tests and the memory report.
#include <malloc.h>

#include "bind.h"

namespace tanuki::bindings {

EMSCRIPTEN_BINDINGS(tanuki_memory) {
  // Bytes currently allocated by malloc (live C++ objects and tensors).
  bindFunction("heapUsedBytes", [] { return static_cast<double>(mallinfo().uordblks); });
}

}  // namespace tanuki::bindings
