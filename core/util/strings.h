// Small string helpers.
#pragma once

#include <string>
#include <vector>

namespace tanuki {

// "a:b:c" -> {"a", "b", "c"}
inline std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts{""};
  for (char c : text) {
    if (c == separator) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

}  // namespace tanuki
