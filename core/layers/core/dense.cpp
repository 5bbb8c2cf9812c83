#include "layers/core/dense.h"

#include "kernels/gemm/gemm.h"
#include "util/errors.h"

namespace tanuki {

Dense::Dense(const ConfigReader& config)
    : Layer(config, "dense"),
      units_(config.getInt("units", -1)),
      activation_(ActivationFunction::parse(config.getActivation("activation", "linear"))),
      useBias_(config.getBool("use_bias", true)),
      kernelInitializer_(config.getInitializer("kernel_initializer", "glorot_uniform")),
      biasInitializer_(config.getInitializer("bias_initializer", "zeros")) {
  if (units_ <= 0) fail<ValueError>("Dense '", name(), "': 'units' must be a positive integer");
}

Shape Dense::computeOutputShape(const std::vector<Shape>& inputShapes) const {
  const Shape& in = singleInput(inputShapes);
  if (in.size() < 2) shapeError("expects input of rank >= 2, got shape " + shapeToString(in));
  if (in.back() <= 0) shapeError("the last input dimension must be known, got shape " + shapeToString(in));
  if (kernel_ && in.back() != kernel_->shape()[0])
    shapeError("expects last dimension " + std::to_string(kernel_->shape()[0]) + ", got shape " + shapeToString(in));
  Shape out = in;
  out.back() = units_;
  return out;
}

void Dense::onBuild(const std::vector<Shape>& inputShapes) {
  const int64_t inputDim = inputShapes[0].back();
  kernel_ = addWeight("kernel", {inputDim, units_}, kernelInitializer_, true);
  if (useBias_) bias_ = addWeight("bias", {units_}, biasInitializer_, true);
}

LayerCall Dense::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const int64_t inputDim = kernel_->shape()[0];
  const int64_t rows = x.size() / inputDim;
  Shape outShape = x.shape();
  outShape.back() = units_;

  Tensor z(outShape);
  kernels::gemm(false, false, rows, units_, inputDim, 1.0f, x.data(), kernel_->value().data(), 0.0f, z.data(),
                {bias_ ? bias_->value().data() : nullptr});
  Tensor y = z;
  if (!activation_.isLinear()) {
    y = Tensor(outShape);
    activation_.forward(z.data(), y.data(), y.size(), units_);
  }

  LayerCall result{y, {}};
  if (!needsBackward(ctx)) return result;
  const bool needDx = ctx.inputNeedsGrad(0);
  const bool trainKernel = kernel_->trainable() && trainable();
  const bool trainBias = bias_ && bias_->trainable() && trainable();
  result.backward = [this, x, z, y, needDx, trainKernel, trainBias, rows, inputDim](const Tensor& dy, Gradients& grads) {
    // dz = dy * activation'(z)
    Tensor dz = dy;
    if (!activation_.isLinear()) {
      dz = Tensor(dy.shape());
      activation_.backward(z.data(), y.data(), dy.data(), dz.data(), dz.size(), units_);
    }
    if (trainKernel) {  // dKernel = xᵀ · dz
      Tensor dk(kernel_->shape());
      kernels::gemm(true, false, inputDim, units_, rows, 1.0f, x.data(), dz.data(), 0.0f, dk.data());
      grads.accumulate(kernel_, dk);
    }
    if (trainBias) {  // dBias = Σ_rows dz
      Tensor db(bias_->shape());
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < units_; ++j) db[j] += dz[r * units_ + j];
      grads.accumulate(bias_, db);
    }
    std::vector<Tensor> dx(1);
    if (needDx) {  // dx = dz · kernelᵀ
      dx[0] = Tensor(x.shape());
      kernels::gemm(false, true, rows, inputDim, units_, 1.0f, dz.data(), kernel_->value().data(), 0.0f, dx[0].data());
    }
    return dx;
  };
  return result;
}

Tensor Dense::inferWith(const Tensor& x, const float* kernel, const kernels::Epilogue& epilogue) const {
  const int64_t inputDim = kernel_->shape()[0], rows = x.size() / inputDim;
  Shape outShape = x.shape();
  outShape.back() = units_;
  Tensor y(outShape);
  kernels::gemm(false, false, rows, units_, inputDim, 1.0f, x.data(), kernel, 0.0f, y.data(), epilogue);
  return y;
}

Json Dense::getConfig() const {
  Json c = Layer::getConfig();
  c["units"] = units_;
  c["activation"] = activation_.name();
  c["use_bias"] = useBias_;
  c["kernel_initializer"] = initializerConfig(kernelInitializer_);
  c["bias_initializer"] = initializerConfig(biasInitializer_);
  c["kernel_regularizer"] = nullptr;
  c["bias_regularizer"] = nullptr;
  c["activity_regularizer"] = nullptr;
  c["kernel_constraint"] = nullptr;
  c["bias_constraint"] = nullptr;
  return c;
}

}  // namespace tanuki
