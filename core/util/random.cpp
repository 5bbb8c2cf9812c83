#include "util/random.h"

namespace tanuki {

Random& Random::global() {
  static Random instance;
  return instance;
}

}  // namespace tanuki
