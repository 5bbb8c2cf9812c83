#include "layers/core/dense.h"

#include "kernels/gemm/gemm.h"
#include "layers/layer_registration.h"
#include "util/errors.h"

namespace tanuki {

Dense::Dense(const ConfigReader& config)
    : Layer(config, "dense"),
      units_(config.getInt("units", -1)),
      tail_(config),
      kernelInitializer_(config.getInitializer("kernel_initializer", "glorot_uniform")) {
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
  if (tail_.useBias()) tail_.bias = addWeight("bias", {units_}, tail_.biasInitializer(), true);
}

LayerCall Dense::call(const std::vector<Tensor>& inputs, const CallContext& ctx) {
  const Tensor& x = inputs[0];
  const int64_t inputDim = kernel_->shape()[0];
  const int64_t rows = x.size() / inputDim;
  Shape outShape = x.shape();
  outShape.back() = units_;

  // The bias is added by the product's epilogue.
  Tensor z(outShape);
  kernels::gemm(false, false, rows, units_, inputDim, 1.0f, x.data(), kernel_->value().data(), 0.0f, z.data(),
                {tail_.bias ? tail_.bias->value().data() : nullptr});
  const Tensor y = tail_.forward(z, true);

  LayerCall result{y, {}};
  if (!needsBackward(ctx)) return result;
  const bool needDx = ctx.inputNeedsGrad(0);
  const bool trainKernel = trains(kernel_);
  const Tensor keptX = trainKernel ? x : Tensor();
  const BiasActivation::Memo memo = tail_.remember(z, y);
  const Shape inShape = x.shape();
  result.backward = [this, keptX, memo, inShape, needDx, trainKernel, rows, inputDim](const Tensor& dy,
                                                                                      Gradients& grads) {
    const Tensor dz = tail_.backward(memo, dy, grads);
    if (trainKernel) {  // dKernel = xᵀ · dz
      Tensor dk(kernel_->shape());
      kernels::gemm(true, false, inputDim, units_, rows, 1.0f, keptX.data(), dz.data(), 0.0f, dk.data());
      grads.accumulate(kernel_, dk);
    }
    std::vector<Tensor> dx(1);
    if (needDx) {  // dx = dz · kernelᵀ
      dx[0] = Tensor(inShape);
      kernels::gemm(false, true, rows, inputDim, units_, 1.0f, dz.data(), kernel_->value().data(), 0.0f, dx[0].data());
    }
    return dx;
  };
  return result;
}

const FusableProducer* Dense::fusableProducer() const { return tail_.activation().isLinear() ? this : nullptr; }

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
  tail_.writeConfig(c);
  writeWeightConfig(c, "kernel", kernelInitializer_);
  return c;
}

template <>
LayerRegistration registration<Dense>() {
  return {"Dense",
          createAs<Dense>,
          {LayerExample{{{"units", 3}, {"activation", "tanh"}}, {{4, 5}}},
           LayerExample{{{"units", 2}, {"use_bias", false}}, {{2, 3, 4}}}}};
}

}  // namespace tanuki
