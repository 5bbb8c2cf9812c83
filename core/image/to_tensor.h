// From an Image to the float32 NHWC input of a model: optional centre crop
// to the target aspect ratio, antialiased resize, then x * scale + offset
// (1/255 and 0 for [0, 1]; 1/127.5 and -1 for [-1, 1] as MobileNet wants).
#pragma once

#include <cstdint>

#include "image/image.h"
#include "tensor/tensor.h"

namespace tanuki {

struct ImageTensorOptions {
  int64_t height = 0;  // 0 and 0: keep the image's own size
  int64_t width = 0;
  bool centerCrop = false;
  float scale = 1.0f;
  float offset = 0.0f;

  // Throws ValueError naming the bad option.
  void validate() const;
};

// A [1, H, W, 3] tensor.
Tensor imageToTensor(const Image& image, const ImageTensorOptions& options);

// Writes the image as row `index` of a [N, H, W, 3] batch (the size comes
// from the batch; options.height/width, if set, must agree with it).
void writeImageToBatch(const Image& image, const ImageTensorOptions& options, Tensor& batch, int64_t index);

}  // namespace tanuki
