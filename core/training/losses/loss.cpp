#include "training/losses/loss.h"

#include <cctype>
#include <vector>

#include "training/losses/crossentropy.h"
#include "training/losses/mean_squared_error.h"
#include "util/errors.h"

namespace tanuki {

void Loss::checkShapes(const Tensor& yTrue, const Tensor& yPred) const {
  if (yTrue.shape() != yPred.shape())
    fail<ValueError>(name(), ": targets of shape ", shapeToString(yTrue.shape()), " do not match predictions of shape ",
                     shapeToString(yPred.shape()));
}

std::vector<float> Loss::perSampleLosses(const Tensor& yTrue, const Tensor& yPred) const {
  if (yPred.rank() < 1) fail<ValueError>(name(), ": predictions must have a batch dimension");
  checkShapes(yTrue, yPred);
  std::vector<float> l(static_cast<size_t>(yPred.dim(0)));
  perSample(yTrue, yPred, l.data(), nullptr);
  return l;
}

float Loss::compute(const Tensor& yTrue, const Tensor& yPred, const Tensor* sampleWeight, Tensor* grad) const {
  if (yPred.rank() < 1) fail<ValueError>(name(), ": predictions must have a batch dimension");
  checkShapes(yTrue, yPred);
  const int64_t n = yPred.dim(0);
  if (sampleWeight && sampleWeight->size() != n)
    fail<ValueError>(name(), ": ", sampleWeight->size(), " sample weights for ", n, " samples");
  std::vector<float> l(static_cast<size_t>(n));
  if (grad) *grad = Tensor(yPred.shape());
  perSample(yTrue, yPred, l.data(), grad);
  double total = 0;
  for (int64_t i = 0; i < n; ++i) total += (sampleWeight ? (*sampleWeight)[i] : 1.0f) * l[i];
  if (grad && n > 0) {
    const int64_t row = yPred.size() / n;
    for (int64_t i = 0; i < n; ++i) {
      const float scale = (sampleWeight ? (*sampleWeight)[i] : 1.0f) / static_cast<float>(n);
      for (int64_t j = 0; j < row; ++j) (*grad)[i * row + j] *= scale;
    }
  }
  return n ? static_cast<float>(total / static_cast<double>(n)) : 0.0f;
}

std::shared_ptr<Loss> makeLoss(const std::string& rawName, const Json& config) {
  // Accept camelCase (TF.js) and snake_case (Keras) alike.
  std::string name;
  for (char c : rawName)
    if (c != '_') name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ConfigReader c(config.is_null() ? Json::object() : config, rawName);
  const bool fromLogits = c.getBool("from_logits", false);
  const float smoothing = static_cast<float>(c.getDouble("label_smoothing", 0.0));
  if (smoothing < 0 || smoothing > 1) fail<ValueError>(rawName, ": label_smoothing must be in [0, 1]");
  if (name == "meansquarederror" || name == "mse") return std::make_shared<MeanSquaredError>();
  if (name == "binarycrossentropy") return std::make_shared<BinaryCrossentropy>(fromLogits, smoothing);
  if (name == "categoricalcrossentropy") return std::make_shared<CategoricalCrossentropy>(fromLogits, smoothing);
  if (name == "sparsecategoricalcrossentropy") return std::make_shared<SparseCategoricalCrossentropy>(fromLogits);
  fail<ValueError>("unknown loss '", rawName,
                   "' (known: meanSquaredError, binaryCrossentropy, categoricalCrossentropy, "
                   "sparseCategoricalCrossentropy)");
}

}  // namespace tanuki
