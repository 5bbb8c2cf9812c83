#include "training/metrics/metric.h"

#include <algorithm>
#include <cctype>

#include "training/losses/crossentropy.h"
#include "util/errors.h"

namespace tanuki {

void AccuracyMetric::update(const Tensor& yTrue, const Tensor& yPred, const Tensor* sampleWeight) {
  if (yPred.rank() < 1) fail<ValueError>(name_, ": predictions must have a batch dimension");
  const int64_t n = yPred.dim(0);
  const int64_t d = yPred.shape().back();
  if (kind_ == Kind::SparseCategorical ? yTrue.size() * d != yPred.size() : yTrue.shape() != yPred.shape())
    fail<ValueError>(name_, ": targets of shape ", shapeToString(yTrue.shape()), " do not fit predictions of shape ",
                     shapeToString(yPred.shape()));
  const int64_t rows = kind_ == Kind::Binary ? yPred.size() : yPred.size() / d;
  const int64_t rowsPerSample = n ? rows / n : 1;
  for (int64_t r = 0; r < rows; ++r) {
    bool correct;
    if (kind_ == Kind::Binary) {
      correct = (yPred[r] > threshold_) == (yTrue[r] > threshold_);
    } else {
      const float* p = yPred.data() + r * d;
      const int64_t predicted = std::max_element(p, p + d) - p;
      if (kind_ == Kind::Categorical) {
        const float* t = yTrue.data() + r * d;
        correct = predicted == std::max_element(t, t + d) - t;
      } else {
        correct = predicted == sparseLabel(yTrue[r], d);
      }
    }
    const double w = sampleWeight ? (*sampleWeight)[r / rowsPerSample] : 1.0;
    total_ += correct ? w : 0.0;
    count_ += w;
  }
}

std::shared_ptr<Metric> makeMetric(const std::string& rawName, const Json& config, const std::string& displayName) {
  std::string name;
  for (char c : rawName)
    if (c != '_') name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ConfigReader c(config.is_null() ? Json::object() : config, rawName);
  auto named = [&](const char* keras) { return displayName.empty() ? std::string(keras) : displayName; };
  if (name == "binaryaccuracy")
    return std::make_shared<AccuracyMetric>(AccuracyMetric::Kind::Binary, named("binary_accuracy"),
                                            static_cast<float>(c.getDouble("threshold", 0.5)));
  if (name == "categoricalaccuracy")
    return std::make_shared<AccuracyMetric>(AccuracyMetric::Kind::Categorical, named("categorical_accuracy"));
  if (name == "sparsecategoricalaccuracy")
    return std::make_shared<AccuracyMetric>(AccuracyMetric::Kind::SparseCategorical,
                                            named("sparse_categorical_accuracy"));
  fail<ValueError>("unknown metric '", rawName,
                   "' (known: accuracy, binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy)");
}

}  // namespace tanuki
