#include "layers/fusion.h"

#include "util/errors.h"

namespace tanuki {

Tensor FusableProducer::inferPadded(const Tensor&, const kernels::Padding2D&, const float*,
                                    const kernels::Epilogue&) const {
  fail<StateError>("inferPadded needs a layer that folds a preceding ZeroPadding2D");
}

}  // namespace tanuki
