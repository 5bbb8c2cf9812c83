#include "activations/activation_function.h"

#include <algorithm>
#include <cmath>

#include "util/errors.h"

namespace tanuki {

namespace {
struct Named {
  const char* name;
  ActivationFunction::Kind kind;
};
constexpr Named kNames[] = {
    {"linear", ActivationFunction::Kind::Linear},
    {"relu", ActivationFunction::Kind::Relu},
    {"relu6", ActivationFunction::Kind::Relu6},
    {"elu", ActivationFunction::Kind::Elu},
    {"selu", ActivationFunction::Kind::Selu},
    {"sigmoid", ActivationFunction::Kind::Sigmoid},
    {"hard_sigmoid", ActivationFunction::Kind::HardSigmoid},
    {"tanh", ActivationFunction::Kind::Tanh},
    {"softmax", ActivationFunction::Kind::Softmax},
    {"softplus", ActivationFunction::Kind::Softplus},
    {"softsign", ActivationFunction::Kind::Softsign},
    {"swish", ActivationFunction::Kind::Swish},
    {"gelu", ActivationFunction::Kind::Gelu},
};
constexpr float kSeluAlpha = 1.6732632423543772f;
constexpr float kSeluScale = 1.0507009873554805f;

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
}  // namespace

ActivationFunction ActivationFunction::parse(const std::string& rawName) {
  std::string name = rawName;
  // TF.js and Keras spell a few names differently.
  if (name.empty() || name == "None") name = "linear";
  if (name == "hardSigmoid") name = "hard_sigmoid";
  if (name == "silu") name = "swish";
  for (const auto& n : kNames)
    if (name == n.name) return ActivationFunction(n.kind);
  std::string known;
  for (const auto& n : kNames) known += std::string(known.empty() ? "" : ", ") + n.name;
  fail<ValueError>("unknown activation '", rawName, "' (known: ", known, ")");
}

std::string ActivationFunction::name() const {
  for (const auto& n : kNames)
    if (n.kind == kind_) return n.name;
  return "linear";
}

bool ActivationFunction::backwardNeedsInput() const {
  return kind_ == Kind::Softplus || kind_ == Kind::Swish || kind_ == Kind::Gelu || kind_ == Kind::Softsign ||
         kind_ == Kind::HardSigmoid;
}

void ActivationFunction::forward(const float* x, float* y, int64_t n, int64_t lastDim) const {
  switch (kind_) {
    case Kind::Linear:
      if (x != y) std::copy(x, x + n, y);
      return;
    case Kind::Relu:
      for (int64_t i = 0; i < n; ++i) y[i] = std::max(x[i], 0.0f);
      return;
    case Kind::Relu6:
      for (int64_t i = 0; i < n; ++i) y[i] = std::min(std::max(x[i], 0.0f), 6.0f);
      return;
    case Kind::Elu:
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : std::expm1(x[i]);
      return;
    case Kind::Selu:
      for (int64_t i = 0; i < n; ++i) y[i] = kSeluScale * (x[i] > 0 ? x[i] : kSeluAlpha * std::expm1(x[i]));
      return;
    case Kind::Sigmoid:
      for (int64_t i = 0; i < n; ++i) y[i] = sigmoid(x[i]);
      return;
    case Kind::HardSigmoid:  // Keras 2 / TF.js definition: clip(0.2 x + 0.5, 0, 1)
      for (int64_t i = 0; i < n; ++i) y[i] = std::min(std::max(0.2f * x[i] + 0.5f, 0.0f), 1.0f);
      return;
    case Kind::Tanh:
      for (int64_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
      return;
    case Kind::Softplus:
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 20 ? x[i] : std::log1p(std::exp(x[i]));
      return;
    case Kind::Softsign:
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] / (1.0f + std::fabs(x[i]));
      return;
    case Kind::Swish:
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] * sigmoid(x[i]);
      return;
    case Kind::Gelu:  // exact form, as Keras's default (approximate=False)
      for (int64_t i = 0; i < n; ++i) y[i] = 0.5f * x[i] * (1.0f + std::erf(x[i] * 0.70710678f));
      return;
    case Kind::Softmax: {
      if (lastDim <= 0) return;
      for (int64_t r = 0; r < n / lastDim; ++r) {
        const float* xr = x + r * lastDim;
        float* yr = y + r * lastDim;
        const float m = *std::max_element(xr, xr + lastDim);
        float sum = 0;
        for (int64_t j = 0; j < lastDim; ++j) sum += (yr[j] = std::exp(xr[j] - m));
        for (int64_t j = 0; j < lastDim; ++j) yr[j] /= sum;
      }
      return;
    }
  }
}

void ActivationFunction::backward(const float* x, const float* y, const float* dy, float* dx, int64_t n,
                                  int64_t lastDim) const {
  switch (kind_) {
    case Kind::Linear: std::copy(dy, dy + n, dx); return;
    case Kind::Relu:
      for (int64_t i = 0; i < n; ++i) dx[i] = y[i] > 0 ? dy[i] : 0.0f;
      return;
    case Kind::Relu6:
      for (int64_t i = 0; i < n; ++i) dx[i] = (y[i] > 0 && y[i] < 6) ? dy[i] : 0.0f;
      return;
    case Kind::Elu:
      for (int64_t i = 0; i < n; ++i) dx[i] = y[i] > 0 ? dy[i] : dy[i] * (y[i] + 1.0f);
      return;
    case Kind::Selu:
      for (int64_t i = 0; i < n; ++i) dx[i] = y[i] > 0 ? dy[i] * kSeluScale : dy[i] * (y[i] + kSeluScale * kSeluAlpha);
      return;
    case Kind::Sigmoid:
      for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * y[i] * (1.0f - y[i]);
      return;
    case Kind::HardSigmoid:
      for (int64_t i = 0; i < n; ++i) {
        const float t = 0.2f * x[i] + 0.5f;
        dx[i] = (t > 0 && t < 1) ? 0.2f * dy[i] : 0.0f;
      }
      return;
    case Kind::Tanh:
      for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
      return;
    case Kind::Softplus:
      for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * sigmoid(x[i]);
      return;
    case Kind::Softsign:
      for (int64_t i = 0; i < n; ++i) {
        const float d = 1.0f + std::fabs(x[i]);
        dx[i] = dy[i] / (d * d);
      }
      return;
    case Kind::Swish:
      for (int64_t i = 0; i < n; ++i) {
        const float s = sigmoid(x[i]);
        dx[i] = dy[i] * (s + x[i] * s * (1.0f - s));
      }
      return;
    case Kind::Gelu:
      for (int64_t i = 0; i < n; ++i) {
        const float cdf = 0.5f * (1.0f + std::erf(x[i] * 0.70710678f));
        const float pdf = 0.3989422804f * std::exp(-0.5f * x[i] * x[i]);
        dx[i] = dy[i] * (cdf + x[i] * pdf);
      }
      return;
    case Kind::Softmax: {
      // dx = y * (dy - sum(dy * y)) row by row.
      if (lastDim <= 0) return;
      for (int64_t r = 0; r < n / lastDim; ++r) {
        const float* yr = y + r * lastDim;
        const float* dyr = dy + r * lastDim;
        float* dxr = dx + r * lastDim;
        float dot = 0;
        for (int64_t j = 0; j < lastDim; ++j) dot += dyr[j] * yr[j];
        for (int64_t j = 0; j < lastDim; ++j) dxr[j] = yr[j] * (dyr[j] - dot);
      }
      return;
    }
  }
}

}  // namespace tanuki
