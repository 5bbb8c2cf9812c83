#include "layers/convolutional/conv2d.h"

#include "kernels/conv2d/conv2d.h"
#include "layers/layer_registration.h"

namespace tanuki {

Conv2D::Conv2D(const ConfigReader& config)
    : KernelConvolution(config, "conv2d", "kernel", "kernel", "filters", -1,
                        {kernels::conv2d, kernels::conv2dBackwardInput, kernels::conv2dBackwardFilter}) {}

void Conv2D::writeOwnConfig(Json& config) const {
  config["filters"] = n_;
  config["groups"] = 1;
}

template <>
LayerRegistration registration<Conv2D>() {
  return {"Conv2D",
          createAs<Conv2D>,
          {LayerExample{{{"filters", 3}, {"kernel_size", 3}, {"padding", "same"}}, {{2, 5, 5, 2}}},
           LayerExample{
               {{"filters", 2}, {"kernel_size", {2, 3}}, {"strides", 2}, {"activation", "tanh"}, {"use_bias", false}},
               {{1, 6, 7, 3}}}}};
}

}  // namespace tanuki
