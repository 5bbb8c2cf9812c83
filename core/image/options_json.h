// Image options as the JavaScript side passes them, JSON text:
//   {"size": [h, w] | null, "crop": "center" | "none", "scale": s, "offset": o}
// every key optional. The one place they are checked: the bindings and the
// JS API only pass them on.
#pragma once

#include <string>

#include "image/to_tensor.h"

namespace tanuki {

// Throws ValueError naming the option at fault (an unknown key included).
ImageTensorOptions imageTensorOptionsFromJson(const std::string& text);

}  // namespace tanuki
