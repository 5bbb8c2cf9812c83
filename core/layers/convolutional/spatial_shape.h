// Shape checks and output shapes shared by the layers that slide a window
// over NHWC images (convolutions and pooling). Errors name the layer.
#pragma once

#include "layers/convolutional/conv_options.h"
#include "layers/layer.h"

namespace tanuki {

// Requires `in` to be [batch, H, W, C]; with `channels` >= 0, C must equal it;
// with `needChannels`, C must be known (weights depend on it).
void checkImageInput(const Layer& layer, const Shape& in, int64_t channels, bool needChannels);

// [batch, outH, outW, outChannels] for a window sliding over `in`; unknown
// (-1) sizes stay unknown. Throws when a known size is smaller than a
// 'valid' window.
Shape windowOutputShape(const Layer& layer, const Shape& in, const IntPair& window, const IntPair& strides, bool same,
                        int64_t outChannels);

}  // namespace tanuki
