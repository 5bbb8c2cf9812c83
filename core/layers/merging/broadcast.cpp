#include "layers/merging/broadcast.h"

#include <vector>

namespace tanuki {
namespace {

// Calls row(outOffset, inOffset, inStep) for each run of the last axis of the
// broadcast shape `out`: element i of the run is element inOffset + i * inStep
// of the tensor of shape `in` (inStep is 0 when that axis is broadcast).
template <class Row>
void forEachRow(const Shape& out, const Shape& in, Row row) {
  const size_t rank = out.size();
  if (rank == 0) return row(0, 0, 0);
  std::vector<int64_t> stride(rank);
  int64_t s = 1;
  for (size_t d = rank; d-- > 0;) {
    stride[d] = in[d] == 1 ? 0 : s;
    s *= in[d];
  }
  int64_t rows = 1;
  for (size_t d = 0; d + 1 < rank; ++d) rows *= out[d];
  const int64_t run = out[rank - 1];
  std::vector<int64_t> index(rank, 0);
  int64_t inOffset = 0;
  for (int64_t r = 0; r < rows; ++r) {
    row(r * run, inOffset, stride[rank - 1]);
    for (size_t d = rank - 1; d-- > 0;) {  // the next row: an odometer over the leading axes
      if (++index[d] < out[d]) {
        inOffset += stride[d];
        break;
      }
      inOffset -= stride[d] * (out[d] - 1);
      index[d] = 0;
    }
  }
}

// y = op(y, x) element-wise, x broadcast to y's shape.
template <class Op>
void combineInto(Tensor& y, const Tensor& x, Op op) {
  const float* in = x.data();
  float* out = y.data();
  const int64_t run = y.shape().empty() ? 1 : y.shape().back();
  forEachRow(y.shape(), x.shape(), [&](int64_t o, int64_t i, int64_t step) {
    if (step == 0) {  // one value of x over the run: the gate of a squeeze-excite block
      const float v = in[i];
      for (int64_t k = 0; k < run; ++k) out[o + k] = op(out[o + k], v);
    } else {
      for (int64_t k = 0; k < run; ++k) out[o + k] = op(out[o + k], in[i + k]);
    }
  });
}

}  // namespace

std::optional<Shape> broadcastShape(const Shape& a, const Shape& b) {
  if (a.size() != b.size()) return std::nullopt;
  Shape out = a;
  for (size_t d = 0; d < b.size(); ++d) {
    if (b[d] == out[d] || b[d] == 1 || (b[d] < 0 && out[d] != 1)) continue;
    if (out[d] != 1 && out[d] >= 0) return std::nullopt;
    out[d] = b[d];
  }
  return out;
}

Tensor broadcastTo(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  Tensor y = Tensor::uninitialized(shape);
  const float* in = x.data();
  float* out = y.data();
  const int64_t run = shape.empty() ? 1 : shape.back();
  forEachRow(shape, x.shape(), [&](int64_t o, int64_t i, int64_t step) {
    for (int64_t k = 0; k < run; ++k) out[o + k] = in[i + k * step];
  });
  return y;
}

void addBroadcast(Tensor& y, const Tensor& x) {
  combineInto(y, x, [](float a, float b) { return a + b; });
}

void multiplyBroadcast(Tensor& y, const Tensor& x) {
  combineInto(y, x, [](float a, float b) { return a * b; });
}

Tensor sumTo(const Tensor& g, const Shape& shape) {
  if (g.shape() == shape) return g;
  Tensor y(shape);
  const float* in = g.data();
  float* out = y.data();
  const int64_t run = g.shape().empty() ? 1 : g.shape().back();
  forEachRow(g.shape(), shape, [&](int64_t o, int64_t i, int64_t step) {
    for (int64_t k = 0; k < run; ++k) out[i + k * step] += in[o + k];
  });
  return y;
}

}  // namespace tanuki
