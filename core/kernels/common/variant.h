// A named implementation of an op: `Ops` is the op's set of entry points
// (a struct of function pointers, the same for every variant of the op).
// Each op lists its variants in one place, the dispatch in its .cpp file:
// the first entry is what the op's public functions run in this build, and
// the kernel test harness runs every entry against the op's reference.
#pragma once

#include <span>

namespace tanuki::kernels {

template <class Ops>
struct Variant {
  const char* name;  // <op>_f32_<tile>_<isa>, isa: scalar or wasmsimd
  Ops ops;
};

template <class Ops>
using Variants = std::span<const Variant<Ops>>;

}  // namespace tanuki::kernels
