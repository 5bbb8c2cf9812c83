#include "tensor/tensor.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "util/errors.h"

namespace tanuki {

namespace {
// Larger tensors than this (16 Gi elements) cannot exist in a 4 GiB
// WebAssembly memory; refusing them early keeps size arithmetic exact.
constexpr int64_t kMaxElements = int64_t{1} << 34;

std::shared_ptr<float[]> allocate(int64_t n) {
  // make_shared<float[]> value-initializes; callers fill anyway, so use new[].
  return std::shared_ptr<float[]>(new float[static_cast<size_t>(std::max<int64_t>(n, 1))]);
}
}  // namespace

std::optional<int64_t> checkedShapeSize(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d != 0 && n > kMaxElements / d)) return std::nullopt;
    n *= d;
  }
  return n;
}

int64_t shapeSize(const Shape& shape) {
  if (const std::optional<int64_t> n = checkedShapeSize(shape)) return *n;
  for (int64_t d : shape)
    if (d < 0) fail<ValueError>("shape ", shapeToString(shape), " has a negative or unknown dimension");
  fail<ValueError>("shape ", shapeToString(shape), " is too large");
}

std::string shapeToString(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += shape[i] < 0 ? "None" : std::to_string(shape[i]);
  }
  return s + "]";
}

Tensor::Tensor(Shape shape, float fill) : shape_(std::move(shape)), size_(shapeSize(shape_)) {
  data_ = allocate(size_);
  std::fill(data_.get(), data_.get() + size_, fill);
}

Tensor Tensor::uninitialized(Shape shape) {
  Tensor t;
  t.size_ = shapeSize(shape);
  t.shape_ = std::move(shape);
  t.data_ = allocate(t.size_);
  return t;
}

Tensor::Tensor(Shape shape, std::vector<float> values) : shape_(std::move(shape)), size_(shapeSize(shape_)) {
  if (static_cast<int64_t>(values.size()) != size_)
    fail<ValueError>("tensor of shape ", shapeToString(shape_), " needs ", size_, " values, got ", values.size());
  data_ = allocate(size_);
  std::copy(values.begin(), values.end(), data_.get());
}

int64_t Tensor::dim(int64_t axis) const {
  const int64_t r = rank();
  if (axis < -r || axis >= r) fail<ValueError>("axis ", axis, " is out of range for shape ", shapeToString(shape_));
  return shape_[static_cast<size_t>(axis < 0 ? axis + r : axis)];
}

Tensor Tensor::clone() const {
  if (!defined()) return Tensor();
  Tensor out;
  out.shape_ = shape_;
  out.size_ = size_;
  out.data_ = allocate(size_);
  std::memcpy(out.data_.get(), data_.get(), static_cast<size_t>(size_) * sizeof(float));
  return out;
}

Tensor Tensor::reshape(Shape shape) const {
  if (shapeSize(shape) != size_)
    fail<ValueError>("cannot reshape ", shapeToString(shape_), " into ", shapeToString(shape));
  Tensor out = *this;
  out.shape_ = std::move(shape);
  return out;
}

Tensor Tensor::gather(const std::vector<int32_t>& rows) const {
  if (rank() < 1) fail<ValueError>("gather needs a tensor of rank >= 1");
  const int64_t n = shape_[0];
  const int64_t rowSize = n ? size_ / n : 0;
  Shape outShape = shape_;
  outShape[0] = static_cast<int64_t>(rows.size());
  Tensor out = Tensor::uninitialized(outShape);  // every row is copied below, or the call fails
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] < 0 || rows[i] >= n) fail<ValueError>("row index ", rows[i], " is out of range for ", n, " rows");
    std::memcpy(out.data() + static_cast<int64_t>(i) * rowSize, data() + rows[i] * rowSize,
                static_cast<size_t>(rowSize) * sizeof(float));
  }
  return out;
}

Tensor Tensor::slice(int64_t begin, int64_t end) const {
  if (rank() < 1 || begin < 0 || end < begin || end > shape_[0])
    fail<ValueError>("slice [", begin, ", ", end, ") is out of range for shape ", shapeToString(shape_));
  std::vector<int32_t> rows;
  for (int64_t i = begin; i < end; ++i) rows.push_back(static_cast<int32_t>(i));
  return gather(rows);
}

}  // namespace tanuki
