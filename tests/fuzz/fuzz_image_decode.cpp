// libFuzzer target: image file bytes -> decoded RGB -> resized tensor.
// Any input must end in a FormatError or an image, never a crash, a hang,
// a sanitizer report or an allocation beyond the pixel budget.
#include <cstddef>
#include <cstdint>

#include "image/decode.h"
#include "image/to_tensor.h"
#include "util/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const tanuki::Image image = tanuki::decodeImage(data, size);
    tanuki::ImageTensorOptions options;
    options.height = 7;
    options.width = 5;
    tanuki::imageToTensor(image, options);
  } catch (const tanuki::FormatError&) {
  } catch (const tanuki::ValueError&) {
  }
  return 0;
}
