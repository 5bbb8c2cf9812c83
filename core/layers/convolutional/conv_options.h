// Options that convolution and pooling layers read alike from Keras configs,
// in every spelling Keras and TF.js model.json files use (3 or [3, 3],
// "same" or "SAME"), rejecting what Tanuki does not implement by name.
#pragma once

#include <array>
#include <string>

#include "layers/config/config_reader.h"

namespace tanuki {

using IntPair = std::array<int64_t, 2>;

// "Conv2D 'conv2d_1'": how the errors below name the layer.
std::string layerLabel(const ConfigReader& config, const std::string& name);

// An int n, meaning (n, n), or a list of two positive ints.
IntPair readIntPair(const ConfigReader& config, const char* key, const IntPair& fallback, const std::string& label);
// An int >= 1 (`fallback` when absent; a fallback of -1 makes it required).
int64_t readPositiveInt(const ConfigReader& config, const char* key, int64_t fallback, const std::string& label);
// 'same' (true) or 'valid' (false).
bool readSamePadding(const ConfigReader& config, const std::string& label);
// Tensors are NHWC throughout: data_format must be absent or 'channels_last'.
void requireChannelsLast(const ConfigReader& config, const std::string& label);
// dilation_rate and groups must be absent or 1.
void requireUndilated(const ConfigReader& config, const std::string& label);

Json pairToJson(const IntPair& pair);

}  // namespace tanuki
