#include "layers/convolutional/depthwise_conv2d.h"

#include "kernels/depthwise/depthwise_conv.h"
#include "layers/layer_registration.h"

namespace tanuki {

DepthwiseConv2D::DepthwiseConv2D(const ConfigReader& config)
    : KernelConvolution(
          config, "depthwise_conv2d", "depthwise", "depthwise_kernel", "depth_multiplier", 1,
          {kernels::depthwiseConv2d, kernels::depthwiseConv2dBackwardInput, kernels::depthwiseConv2dBackwardFilter}) {}

Tensor DepthwiseConv2D::inferPadded(const Tensor& x, const kernels::Padding2D& pad, const float* kernel,
                                    const kernels::Epilogue& epilogue) const {
  return inferOver(x, window_.paddedGeometry(x.shape(), pad), kernel, epilogue);
}

template <>
LayerRegistration registration<DepthwiseConv2D>() {
  return {"DepthwiseConv2D",
          createAs<DepthwiseConv2D>,
          {LayerExample{{{"kernel_size", 3}, {"depth_multiplier", 2}}, {{2, 5, 5, 2}}},
           LayerExample{{{"kernel_size", 3}, {"strides", 2}, {"padding", "same"}, {"activation", "tanh"}},
                        {{1, 6, 6, 3}}}}};
}

}  // namespace tanuki
