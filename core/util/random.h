// The core's random numbers: one seedable generator, so that a seed given by
// the user makes weight initialisation, shuffling and augmentation repeatable.
#pragma once

#include <cstdint>
#include <random>

namespace tanuki {

class Random {
 public:
  static Random& global();
  void seed(uint64_t seed) { engine_.seed(seed); }
  float uniform(float low, float high) { return std::uniform_real_distribution<float>(low, high)(engine_); }
  float normal(float mean, float stddev) { return std::normal_distribution<float>(mean, stddev)(engine_); }
  uint32_t next() { return static_cast<uint32_t>(engine_()); }
  uint64_t next64() { return engine_(); }
  std::mt19937_64& engine() { return engine_; }

 private:
  std::mt19937_64 engine_{0x7a6e756bULL};
};

}  // namespace tanuki
