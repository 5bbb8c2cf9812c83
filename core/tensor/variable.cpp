#include "tensor/variable.h"

#include "util/errors.h"

namespace tanuki {

void Variable::assign(const Tensor& value) {
  if (value.shape() != value_.shape())
    fail<ValueError>("weight '", name_, "' has shape ", shapeToString(value_.shape()),
                     ", cannot assign a value of shape ", shapeToString(value.shape()));
  value_ = value.clone();
  ++version_;
}

}  // namespace tanuki
