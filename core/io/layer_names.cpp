#include "io/layer_names.h"

#include <cctype>

namespace tanuki::io {

std::string sanitizeLayerName(const std::string& name) {
  std::string out;
  for (char c : name)
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.') ? c : '_';
  while (!out.empty() && (out.front() == '_' || out.front() == '.')) out.erase(out.begin());
  return out;
}

std::string LayerNames::unique(const std::string& wanted, const std::string& fallback) {
  std::string base = sanitizeLayerName(wanted);
  if (base.empty()) base = fallback;
  std::string name = base;
  for (int i = 1; used_.count(name); ++i) name = base + "_" + std::to_string(i);
  used_.insert(name);
  return name;
}

}  // namespace tanuki::io
