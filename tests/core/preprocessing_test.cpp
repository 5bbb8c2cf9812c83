// Keras's image augmentation layers: identity in inference, random per image
// in training, repeatable under a seed, with their Keras configs.
#include <doctest/doctest.h>

#include <cmath>

#include "models/sequential.h"
#include "test_helpers.h"
#include "training/losses/loss.h"
#include "training/optimizers/optimizer.h"
#include "util/errors.h"
#include "util/random.h"

using namespace tanuki;
using tanuki::testing::layer;

namespace {
// n images of h x w x c with distinct values.
Tensor images(int64_t n, int64_t h, int64_t w, int64_t c) {
  Tensor t(Shape{n, h, w, c});
  for (int64_t i = 0; i < t.size(); ++i) t[i] = static_cast<float>((i * 37) % 251);
  return t;
}

// The same image n times.
Tensor repeated(int64_t n, int64_t h, int64_t w) {
  Tensor t(Shape{n, h, w, 1});
  for (int64_t i = 0; i < t.size(); ++i) t[i] = static_cast<float>((i % (h * w)) * 3 % 17);
  return t;
}

Tensor imageAt(const Tensor& batch, int64_t i) { return batch.slice(i, i + 1); }

bool same(const Tensor& a, const Tensor& b, float tolerance = 0) {
  if (a.shape() != b.shape()) return false;
  for (int64_t i = 0; i < a.size(); ++i)
    if (std::fabs(a[i] - b[i]) > tolerance) return false;
  return true;
}

Tensor mirrored(const Tensor& img, bool horizontal) {
  const int64_t h = img.dim(1), w = img.dim(2), c = img.dim(3);
  Tensor out(img.shape());
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x)
      for (int64_t k = 0; k < c; ++k) {
        const int64_t sx = horizontal ? w - 1 - x : x, sy = horizontal ? y : h - 1 - y;
        out[(y * w + x) * c + k] = img[(sy * w + sx) * c + k];
      }
  return out;
}

const Json kAllLayers = {
    {"RandomFlip", {{"mode", "horizontal_and_vertical"}}},
    {"RandomRotation", {{"factor", 0.2}}},
    {"RandomZoom", {{"height_factor", 0.3}}},
    {"RandomTranslation", {{"height_factor", 0.2}, {"width_factor", 0.2}}},
    {"RandomContrast", {{"factor", 0.5}}},
};
}  // namespace

TEST_CASE("augmentation layers are the identity in inference") {
  const Tensor x = images(3, 5, 6, 3);
  for (const auto& entry : kAllLayers.items()) {
    const std::string className = entry.key();
    const Json& config = entry.value();
    CAPTURE(className);
    auto l = layer(className, config);
    CHECK(same(l->apply(x, false), x));
    CHECK(l->weights().empty());
    // Unbatched images too.
    const Tensor one = x.slice(0, 1).reshape({5, 6, 3});
    CHECK(same(l->apply(one, false), one));
  }
}

TEST_CASE("augmentation layers change images in training and keep the shape") {
  const Tensor x = images(4, 8, 8, 3);
  for (const auto& entry : kAllLayers.items()) {
    const std::string className = entry.key();
    const Json& config = entry.value();
    CAPTURE(className);
    Json c = config;
    c["seed"] = 7;
    const Tensor y = layer(className, c)->apply(x, true);
    CHECK(y.shape() == x.shape());
    CHECK_FALSE(same(y, x));
  }
}

TEST_CASE("a seed in the config makes the augmentation repeatable") {
  const Tensor x = images(4, 7, 9, 2);
  for (const auto& entry : kAllLayers.items()) {
    const std::string className = entry.key();
    const Json& config = entry.value();
    CAPTURE(className);
    Json c = config;
    c["seed"] = 1234;
    auto a = layer(className, c), b = layer(className, c);
    CHECK(same(a->apply(x, true), b->apply(x, true)));
    CHECK(same(a->apply(x, true), b->apply(x, true)));
  }
}

TEST_CASE("without a seed, seeding the global generator makes it repeatable") {
  const Tensor x = images(4, 7, 9, 2);
  auto l = layer("RandomRotation", {{"factor", 0.3}});
  Random::global().seed(99);
  const Tensor first = l->apply(x, true);
  Random::global().seed(99);
  CHECK(same(l->apply(x, true), first));
  CHECK_FALSE(same(l->apply(x, true), first));
}

TEST_CASE("each image of a batch gets its own random parameters") {
  const Tensor x = repeated(8, 6, 6);
  for (const auto& entry : kAllLayers.items()) {
    const std::string className = entry.key();
    const Json& config = entry.value();
    CAPTURE(className);
    Json c = config;
    c["seed"] = 5;
    const Tensor y = layer(className, c)->apply(x, true);
    bool anyDiffers = false;
    for (int64_t i = 1; i < 8; ++i) anyDiffers |= !same(imageAt(y, i), imageAt(y, 0));
    CHECK(anyDiffers);
  }
}

TEST_CASE("RandomFlip mirrors each image or leaves it, along the configured axis only") {
  const Tensor x = repeated(32, 4, 5);
  const Tensor original = imageAt(x, 0);
  for (const char* mode : {"horizontal", "vertical"}) {
    CAPTURE(mode);
    const bool horizontal = std::string(mode) == "horizontal";
    const Tensor y = layer("RandomFlip", {{"mode", mode}, {"seed", 3}})->apply(x, true);
    int flipped = 0, kept = 0;
    for (int64_t i = 0; i < 32; ++i) {
      const Tensor img = imageAt(y, i);
      if (same(img, original)) {
        ++kept;
      } else {
        CHECK(same(img, mirrored(original, horizontal)));
        ++flipped;
      }
    }
    CHECK(flipped > 4);
    CHECK(kept > 4);
  }
}

TEST_CASE("RandomRotation by half a turn rotates 180 degrees") {
  const Tensor x = images(1, 5, 4, 1);
  const Tensor y = layer("RandomRotation", {{"factor", {0.5, 0.5}}})->apply(x, true);
  CHECK(same(y, mirrored(mirrored(x, true), false), 1e-3f));
}

TEST_CASE("RandomTranslation shifts, filling as fill_mode says") {
  // One row 1 2 3 4 shifted right by a quarter of the width.
  const Tensor x(Shape{1, 1, 4, 1}, std::vector<float>{1, 2, 3, 4});
  auto shifted = [&](const char* fill) {
    return layer("RandomTranslation",
                 {{"height_factor", 0.0}, {"width_factor", {0.25, 0.25}}, {"fill_mode", fill}, {"fill_value", -1.0}})
        ->apply(x, true)
        .toVector();
  };
  CHECK(shifted("constant") == std::vector<float>{-1, 1, 2, 3});
  CHECK(shifted("nearest") == std::vector<float>{1, 1, 2, 3});
  CHECK(shifted("reflect") == std::vector<float>{1, 1, 2, 3});
  CHECK(shifted("wrap") == std::vector<float>{4, 1, 2, 3});
}

TEST_CASE("RandomZoom zooms about the centre; zero zoom is the identity") {
  const Tensor x = images(2, 6, 6, 3);
  CHECK(same(layer("RandomZoom", {{"height_factor", {0.0, 0.0}}})->apply(x, true), x, 1e-4f));
  // Zooming in by half: the centre pixel stays where it is (odd size).
  const Tensor odd = images(1, 5, 5, 1);
  const Tensor y = layer("RandomZoom", {{"height_factor", {-0.5, -0.5}}})->apply(odd, true);
  CHECK(y[12] == doctest::Approx(odd[12]));
}

TEST_CASE("RandomContrast keeps the channel means and clips to value_range") {
  const Tensor x = images(3, 4, 4, 3);
  const Tensor y =
      layer("RandomContrast", {{"factor", 0.5}, {"seed", 1}, {"value_range", {-1000, 1000}}})->apply(x, true);
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t c = 0; c < 3; ++c) {
      double mx = 0, my = 0;
      for (int64_t p = 0; p < 16; ++p) {
        mx += x[i * 48 + p * 3 + c];
        my += y[i * 48 + p * 3 + c];
      }
      CHECK(my == doctest::Approx(mx).epsilon(1e-4));
    }
  const Tensor clipped = layer("RandomContrast", {{"factor", {0.0, 1.0}}, {"seed", 2}})->apply(x, true);
  for (int64_t i = 0; i < clipped.size(); ++i) {
    CHECK(clipped[i] >= 0);
    CHECK(clipped[i] <= 255);
  }
}

TEST_CASE("augmentation configs round-trip through getConfig") {
  const Json configs = {
      {"RandomFlip", {{"name", "flip"}, {"mode", "vertical"}, {"seed", 4}}},
      {"RandomRotation",
       {{"name", "rot"},
        {"factor", {-0.1, 0.2}},
        {"fill_mode", "constant"},
        {"interpolation", "nearest"},
        {"fill_value", 2.5}}},
      {"RandomZoom", {{"name", "zoom"}, {"height_factor", 0.2}, {"width_factor", {-0.1, 0.3}}, {"fill_mode", "wrap"}}},
      {"RandomTranslation", {{"name", "shift"}, {"height_factor", 0.1}, {"width_factor", 0.2}}},
      {"RandomContrast", {{"name", "contrast"}, {"factor", {0.2, 0.4}}, {"value_range", {0, 1}}}},
  };
  for (const auto& entry : configs.items()) {
    const std::string className = entry.key();
    const Json& config = entry.value();
    CAPTURE(className);
    const Json first = layer(className, config)->getConfig();
    for (const auto& field : config.items()) CHECK(first[field.key()] == field.value());
    CHECK(layer(className, first)->getConfig() == first);
  }
  const Json rotation = layer("RandomRotation", {{"factor", 0.1}})->getConfig();
  CHECK(rotation["fill_mode"] == "reflect");  // Keras's default
  CHECK(rotation["interpolation"] == "bilinear");
  CHECK(rotation["seed"].is_null());
}

TEST_CASE("bad augmentation configs and inputs name what is wrong") {
  auto message = [](const std::string& className, const Json& config) {
    try {
      layer(className, config);
    } catch (const ValueError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(message("RandomFlip", {{"mode", "diagonal"}}).find("unsupported mode 'diagonal'") != std::string::npos);
  CHECK(message("RandomRotation", Json::object()).find("factor is required") != std::string::npos);
  CHECK(message("RandomRotation", {{"factor", 2}}).find("factor must be a number or a list") != std::string::npos);
  CHECK(message("RandomZoom", {{"height_factor", {0.1, 0.2, 0.3}}}).find("height_factor") != std::string::npos);
  CHECK(message("RandomTranslation", {{"height_factor", 0.1}}).find("width_factor is required") != std::string::npos);
  CHECK(message("RandomContrast", {{"factor", -0.5}}).find("factor") != std::string::npos);
  CHECK(message("RandomContrast", {{"factor", 0.5}, {"value_range", {1, 0}}}).find("value_range") != std::string::npos);
  CHECK(message("RandomRotation", {{"factor", 0.1}, {"fill_mode", "mirror"}}).find("fill_mode") != std::string::npos);
  CHECK(message("RandomFlip", {{"data_format", "channels_first"}}).find("data_format") != std::string::npos);

  auto flip = layer("RandomFlip");
  CHECK_THROWS_AS(flip->apply(Tensor(Shape{2, 3}), true), ValueError);
}

TEST_CASE("backward: the identity passes the gradient on, an active layer stops it") {
  const Tensor x = images(2, 3, 3, 1);
  const Tensor dy(x.shape(), 1.0f);
  auto l = layer("RandomFlip", {{"seed", 1}});
  CallContext ctx;
  ctx.record = true;
  ctx.inputsNeedGrad = {true};
  Gradients grads;
  const LayerCall inference = l->apply({x}, ctx);
  REQUIRE(inference.backward);
  CHECK(same(inference.backward(dy, grads)[0], dy));
  ctx.training = true;
  const LayerCall training = l->apply({x}, ctx);
  REQUIRE(training.backward);
  CHECK_FALSE(training.backward(dy, grads)[0].defined());
  ctx.inputsNeedGrad = {false};
  CHECK_FALSE(l->apply({x}, ctx).backward);
}

TEST_CASE("a model with augmentation in front trains, and predicts without augmenting") {
  auto model = std::make_shared<Sequential>();
  model->add(layer("RandomFlip", {{"mode", "horizontal"}, {"seed", 2}, {"batch_input_shape", {nullptr, 4, 4, 1}}}));
  model->add(layer("RandomRotation", {{"factor", 0.05}, {"seed", 3}}));
  model->add(layer("Dense", {{"units", 1}}));
  model->compile(makeOptimizer("sgd", {{"learning_rate", 0.01}}), makeLoss("mean_squared_error", Json::object()), {});
  const Tensor x = images(4, 4, 4, 1);
  Tensor y(Shape{4, 4, 4, 1}, 1.0f);
  const Tensor before = model->getWeights()[0];
  CHECK(std::isfinite(model->trainOnBatch(x, y)));
  CHECK_FALSE(same(model->getWeights()[0], before));
  CHECK(same(model->predict(x), model->predict(x)));
}
