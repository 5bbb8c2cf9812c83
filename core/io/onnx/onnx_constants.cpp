#include "io/onnx/onnx_constants.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "io/onnx/onnx_reader.h"
#include "util/errors.h"

namespace tanuki::io::onnx {

namespace {
bool isIntegerType(int32_t type) { return type != 1 && type != 10 && type != 11 && type != 16; }

int64_t product(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

std::vector<int64_t> stridesOf(const std::vector<int64_t>& dims) {
  std::vector<int64_t> strides(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;) strides[i - 1] = strides[i] * dims[i];
  return strides;
}

// Saturates: Slice's "to the end" is INT64_MAX, which a double rounds past.
int64_t toInt(double v) {
  if (v >= 9.2e18) return std::numeric_limits<int64_t>::max();
  if (v <= -9.2e18) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

void checkSize(const std::vector<int64_t>& dims, const std::string& where) {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0) fail<FormatError>(where, ": negative dimension ", d);
    if (d > 0 && n > kMaxConstantValues / d) fail<FormatError>(where, ": the constant result is too large");
    n *= d;
  }
}
}  // namespace

Constant Constant::of(const TensorData& t) { return Constant{t.dims, t.values, {}, isIntegerType(t.dataType)}; }

bool Constant::anyBatch() const { return std::find(batch.begin(), batch.end(), true) != batch.end(); }

std::vector<int64_t> Constant::ints(const std::string& what) const {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < size(); ++i) {
    if (isBatch(i)) fail<FormatError>(what, " depends on the batch size, which is unknown at import");
    if (std::isnan(values[i])) fail<FormatError>(what, " is not a number");
    out.push_back(toInt(values[i]));
  }
  return out;
}

int64_t normalizeAxis(int64_t axis, int64_t rank, const std::string& where) {
  if (axis < -rank || axis >= rank) fail<FormatError>(where, ": axis ", axis, " is out of range for rank ", rank);
  return axis < 0 ? axis + rank : axis;
}

Constant foldElementwise(const std::string& opType, const Constant& a, const Constant& b, const std::string& where) {
  if (a.anyBatch() || b.anyBatch())
    fail<FormatError>(where, ": computes with the batch size, which is unknown at import");
  const size_t rank = std::max(a.dims.size(), b.dims.size());
  std::vector<int64_t> dims(rank), da(rank, 1), db(rank, 1);
  std::copy(a.dims.begin(), a.dims.end(), da.begin() + (rank - a.dims.size()));
  std::copy(b.dims.begin(), b.dims.end(), db.begin() + (rank - b.dims.size()));
  for (size_t i = 0; i < rank; ++i) {
    if (da[i] != db[i] && da[i] != 1 && db[i] != 1) fail<FormatError>(where, ": shapes do not broadcast");
    dims[i] = da[i] == 1 ? db[i] : da[i];
  }
  checkSize(dims, where);
  const auto sa = stridesOf(da), sb = stridesOf(db), so = stridesOf(dims);
  const bool integer = a.isInteger && b.isInteger;
  Constant out{dims, std::vector<double>(static_cast<size_t>(product(dims))), {}, integer};
  for (int64_t i = 0; i < out.size(); ++i) {
    int64_t ia = 0, ib = 0, rest = i;
    for (size_t d = 0; d < rank; ++d) {
      const int64_t coord = rest / so[d];
      rest %= so[d];
      if (da[d] != 1) ia += coord * sa[d];
      if (db[d] != 1) ib += coord * sb[d];
    }
    const double x = a.values[ia], y = b.values[ib];
    double r;
    if (opType == "Add")
      r = x + y;
    else if (opType == "Sub")
      r = x - y;
    else if (opType == "Mul")
      r = x * y;
    else {
      if (integer && y == 0) fail<FormatError>(where, ": integer division by zero");
      r = integer ? std::trunc(x / y) : x / y;
    }
    out.values[i] = integer ? r : static_cast<float>(r);
  }
  return out;
}

Constant foldGather(const Constant& data, const Constant& indices, int64_t axis, const std::string& where) {
  const auto rank = static_cast<int64_t>(data.dims.size());
  if (rank == 0) fail<FormatError>(where, ": Gather on a scalar");
  axis = normalizeAxis(axis, rank, where);
  const std::vector<int64_t> index = indices.ints(where + ": the indices");
  std::vector<int64_t> dims(data.dims.begin(), data.dims.begin() + axis);
  dims.insert(dims.end(), indices.dims.begin(), indices.dims.end());
  dims.insert(dims.end(), data.dims.begin() + axis + 1, data.dims.end());
  checkSize(dims, where);
  const int64_t outer = product({data.dims.begin(), data.dims.begin() + axis});
  const int64_t inner = product({data.dims.begin() + axis + 1, data.dims.end()});
  const int64_t n = data.dims[axis];
  Constant out{dims, {}, {}, data.isInteger};
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k : index) {
      if (k < -n || k >= n) fail<FormatError>(where, ": index ", k, " is out of range for a dimension of ", n);
      if (k < 0) k += n;
      for (int64_t i = 0; i < inner; ++i) {
        const int64_t from = (o * n + k) * inner + i;
        out.values.push_back(data.values[from]);
        if (!data.batch.empty()) out.batch.push_back(data.batch[from]);
      }
    }
  return out;
}

Constant foldSlice(const Constant& data, const std::vector<int64_t>& starts, const std::vector<int64_t>& ends,
                   std::vector<int64_t> axes, std::vector<int64_t> steps, const std::string& where) {
  const auto rank = static_cast<int64_t>(data.dims.size());
  if (starts.size() != ends.size()) fail<FormatError>(where, ": starts and ends differ in length");
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (axes.size() != starts.size() || steps.size() != starts.size())
    fail<FormatError>(where, ": axes or steps differ in length from starts");
  std::vector<int64_t> begin(rank, 0), step(rank, 1), dims = data.dims;
  for (size_t i = 0; i < axes.size(); ++i) {
    const int64_t axis = normalizeAxis(axes[i], rank, where);
    const int64_t n = data.dims[axis];
    if (steps[i] == 0) fail<FormatError>(where, ": a step of 0");
    const bool forward = steps[i] > 0;
    // A step longer than the axis takes one element at most; clamping it keeps the arithmetic in range.
    const int64_t st = std::clamp<int64_t>(steps[i], -(n + 1), n + 1);
    if (n == 0) {
      dims[axis] = 0;
      continue;
    }
    const int64_t s0 = starts[i] < 0 ? starts[i] + n : starts[i];
    const int64_t e0 = ends[i] < 0 ? ends[i] + n : ends[i];
    const int64_t s = forward ? std::clamp<int64_t>(s0, 0, n) : std::clamp<int64_t>(s0, 0, n - 1);
    const int64_t e = forward ? std::clamp<int64_t>(e0, 0, n) : std::clamp<int64_t>(e0, -1, n - 1);
    const int64_t count =
        forward ? std::max<int64_t>(0, (e - s + st - 1) / st) : std::max<int64_t>(0, (s - e - st - 1) / -st);
    begin[axis] = s;
    step[axis] = st;
    dims[axis] = count;
  }
  const auto inStrides = stridesOf(data.dims), outStrides = stridesOf(dims);
  Constant out{dims, {}, {}, data.isInteger};
  const int64_t total = product(dims);
  for (int64_t i = 0; i < total; ++i) {
    int64_t from = 0, rest = i;
    for (int64_t d = 0; d < rank; ++d) {
      const int64_t coord = rest / outStrides[d];
      rest %= outStrides[d];
      from += (begin[d] + coord * step[d]) * inStrides[d];
    }
    out.values.push_back(data.values[from]);
    if (!data.batch.empty()) out.batch.push_back(data.batch[from]);
  }
  return out;
}

Constant foldConcat(const std::vector<Constant>& parts, int64_t axis, const std::string& where) {
  if (parts.empty()) fail<FormatError>(where, ": nothing to concatenate");
  const auto rank = static_cast<int64_t>(parts[0].dims.size());
  axis = normalizeAxis(axis, rank, where);
  std::vector<int64_t> dims = parts[0].dims;
  dims[axis] = 0;
  bool anyBatch = false, integer = true;
  for (const Constant& p : parts) {
    if (static_cast<int64_t>(p.dims.size()) != rank) fail<FormatError>(where, ": inputs differ in rank");
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && p.dims[d] != dims[d]) fail<FormatError>(where, ": inputs differ in shape");
    dims[axis] += p.dims[axis];
    anyBatch |= p.anyBatch();
    integer &= p.isInteger;
  }
  const int64_t outer = product({dims.begin(), dims.begin() + axis});
  Constant out{dims, {}, {}, integer};
  for (int64_t o = 0; o < outer; ++o)
    for (const Constant& p : parts) {
      const int64_t block = product({p.dims.begin() + axis, p.dims.end()});
      for (int64_t i = 0; i < block; ++i) {
        out.values.push_back(p.values[o * block + i]);
        if (anyBatch) out.batch.push_back(p.isBatch(o * block + i));
      }
    }
  return out;
}

Constant foldTranspose(const Constant& data, std::vector<int64_t> perm, const std::string& where) {
  const auto rank = static_cast<int64_t>(data.dims.size());
  if (perm.empty())
    for (int64_t i = rank - 1; i >= 0; --i) perm.push_back(i);
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < rank; ++i)
    if (static_cast<int64_t>(sorted.size()) != rank || sorted[i] != i)
      fail<FormatError>(where, ": perm is not a permutation of the axes");
  std::vector<int64_t> dims(rank);
  for (int64_t i = 0; i < rank; ++i) dims[i] = data.dims[perm[i]];
  const auto inStrides = stridesOf(data.dims), outStrides = stridesOf(dims);
  Constant out{dims, std::vector<double>(data.values.size()), {}, data.isInteger};
  if (!data.batch.empty()) out.batch.resize(data.batch.size());
  for (int64_t i = 0; i < out.size(); ++i) {
    int64_t from = 0, rest = i;
    for (int64_t d = 0; d < rank; ++d) {
      from += (rest / outStrides[d]) * inStrides[perm[d]];
      rest %= outStrides[d];
    }
    out.values[i] = data.values[from];
    if (!data.batch.empty()) out.batch[i] = data.batch[from];
  }
  return out;
}

Constant foldCast(Constant data, int64_t to, const std::string& where) {
  if (to == 8 || to < 1 || to > 16)
    fail<FormatError>(where, ": Cast to ", dataTypeName(static_cast<int32_t>(to)), " is not supported");
  const bool integer = isIntegerType(static_cast<int32_t>(to));
  for (double& v : data.values) {
    if (to == 9)
      v = v != 0;
    else if (integer)
      v = std::trunc(v);
    else if (to == 1 || to == 10)
      v = static_cast<float>(v);
  }
  data.isInteger = integer;
  return data;
}

Constant withDims(Constant data, std::vector<int64_t> dims, const std::string& where) {
  checkSize(dims, where);
  if (product(dims) != data.size()) fail<FormatError>(where, ": ", data.size(), " values cannot take the new shape");
  data.dims = std::move(dims);
  return data;
}

}  // namespace tanuki::io::onnx
