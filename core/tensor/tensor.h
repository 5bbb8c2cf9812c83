// Tensor: a float32, row-major, n-dimensional array (images are NHWC).
//
// Storage is shared between copies: copying a Tensor is cheap and both
// copies see the same numbers. Operations in the core produce fresh tensors;
// only code that has just created a tensor (or owns it, like a Variable)
// writes into it. Use clone() for an independent copy.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tanuki {

using Shape = std::vector<int64_t>;

// Number of elements of a shape; throws on negative or overflowing sizes.
int64_t shapeSize(const Shape& shape);
// The same, or nothing for a negative dimension or a count past the limit.
std::optional<int64_t> checkedShapeSize(const Shape& shape);
// "[2, 3, 4]" for error messages and summaries; -1 prints as "None".
std::string shapeToString(const Shape& shape);

class Tensor {
 public:
  Tensor() = default;  // empty: no shape, no data; defined() is false
  explicit Tensor(Shape shape, float fill = 0.0f);
  Tensor(Shape shape, std::vector<float> values);

  // Storage left unwritten, for kernels that write every element (a zero
  // fill would be a wasted pass over memory); reading it first is a bug.
  static Tensor uninitialized(Shape shape);
  static Tensor scalar(float value) { return Tensor(Shape{}, std::vector<float>{value}); }

  bool defined() const { return static_cast<bool>(data_); }
  const Shape& shape() const { return shape_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  int64_t size() const { return size_; }
  int64_t dim(int64_t axis) const;  // negative axes count from the end

  const float* data() const { return data_.get(); }
  float* data() { return data_.get(); }
  float operator[](int64_t i) const { return data_.get()[i]; }
  float& operator[](int64_t i) { return data_.get()[i]; }

  Tensor clone() const;
  // Same storage, new shape with the same element count.
  Tensor reshape(Shape shape) const;
  std::vector<float> toVector() const { return std::vector<float>(data(), data() + size_); }

  // Rows along axis 0, picked by index (used for batching).
  Tensor gather(const std::vector<int32_t>& rows) const;
  Tensor slice(int64_t begin, int64_t end) const;  // rows [begin, end) of axis 0

 private:
  Shape shape_;
  int64_t size_ = 0;
  std::shared_ptr<float[]> data_;
};

}  // namespace tanuki
