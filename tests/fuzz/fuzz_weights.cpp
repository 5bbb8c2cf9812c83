// libFuzzer target: a weights manifest and shard bytes. The input is split at
// the first NUL byte: manifest JSON before it, weight bytes after.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "io/weights_manifest.h"
#include "util/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto* end = static_cast<const uint8_t*>(std::memchr(data, 0, size));
  const size_t jsonSize = end ? static_cast<size_t>(end - data) : size;
  const size_t rest = end ? size - jsonSize - 1 : 0;
  try {
    const tanuki::Json manifest = tanuki::Json::parse(std::string(reinterpret_cast<const char*>(data), jsonSize));
    const auto specs = tanuki::io::parseWeightsManifest(manifest);
    tanuki::io::decodeWeights(specs, end ? end + 1 : data, rest);
  } catch (const std::exception&) {
  }
  return 0;
}
