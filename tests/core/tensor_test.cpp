#include "tensor/tensor.h"

#include <doctest/doctest.h>

#include "util/errors.h"

using namespace tanuki;

TEST_CASE("tensors hold row-major float32 data with a shape") {
  Tensor t({2, 3}, std::vector<float>{1, 2, 3, 4, 5, 6});
  CHECK(t.rank() == 2);
  CHECK(t.size() == 6);
  CHECK(t.dim(-1) == 3);
  CHECK(t[4] == 5.0f);
  Tensor r = t.reshape({3, 2});
  CHECK(r.data() == t.data());  // shares storage
  Tensor c = t.clone();
  c[0] = 42;
  CHECK(t[0] == 1.0f);
}

TEST_CASE("gather and slice pick rows along the batch axis") {
  Tensor t({3, 2}, std::vector<float>{1, 2, 3, 4, 5, 6});
  Tensor g = t.gather({2, 0});
  CHECK(g.shape() == Shape{2, 2});
  CHECK(g.toVector() == std::vector<float>{5, 6, 1, 2});
  CHECK(t.slice(1, 3).toVector() == std::vector<float>{3, 4, 5, 6});
  CHECK_THROWS_AS(t.gather({3}), ValueError);
  CHECK_THROWS_AS(t.slice(2, 4), ValueError);
}

TEST_CASE("bad shapes are refused with a message") {
  CHECK_THROWS_WITH_AS(Tensor({2, 2}, std::vector<float>{1, 2, 3}), "tensor of shape [2, 2] needs 4 values, got 3",
                       ValueError);
  CHECK_THROWS_AS(Tensor({-1, 2}), ValueError);
  CHECK_THROWS_AS(Tensor({1 << 30, 1 << 30, 1 << 30}), ValueError);  // overflow guarded
  CHECK_THROWS_AS(Tensor({2, 3}).reshape({4, 2}), ValueError);
}
