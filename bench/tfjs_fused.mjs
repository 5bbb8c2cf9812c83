// TensorFlow.js's fastest inference path for a Keras MobileNetV2: what its
// graph-model converter produces, built here straight from the layers model.
// Each BatchNormalization is folded into the convolution before it and the
// ReLU6 after it fused into the same op (tf.fused.conv2d /
// tf.fused.depthwiseConv2d with a bias and 'relu6'); ZeroPadding2D becomes
// tf.pad, Add tf.add, the head one fused matMul. Used by bench/run.mjs as the
// "fused" baseline, so that both sides of that ratio are measured in one run.

/** Returns predict(x) running `model` (a tf.LayersModel) the fused way. */
export function fusedPredictor(tf, model) {
  const layers = model.layers;
  const inputsOf = (layer) => layer.inboundNodes[0].inboundLayers.map((l) => l.name);
  const readers = new Map();
  for (const layer of layers) for (const name of inputsOf(layer)) readers.set(name, [...(readers.get(name) ?? []), layer]);
  const soleReader = (name) => (readers.get(name)?.length === 1 ? readers.get(name)[0] : null);
  const cls = (layer) => layer.getClassName();

  // Fold: conv (+ BN) (+ ReLU6) -> one op with a folded filter and bias.
  const fused = new Map(); // conv name -> {filter, bias, activation, output: last layer's name}
  const skipped = new Set();
  for (const conv of layers.filter((l) => cls(l) === 'Conv2D' || cls(l) === 'DepthwiseConv2D')) {
    const [kernel, convBias] = conv.getWeights();
    let filter = kernel;
    let bias = convBias ?? tf.zeros([cls(conv) === 'Conv2D' ? kernel.shape[3] : kernel.shape[2]]);
    let last = conv;
    const bn = soleReader(conv.name);
    if (bn && cls(bn) === 'BatchNormalization') {
      const [gamma, beta, mean, variance] = bn.getWeights();
      const scale = tf.div(gamma, tf.sqrt(tf.add(variance, bn.getConfig().epsilon)));
      // Depthwise kernels are [kH, kW, C, 1]: the scale runs along axis 2.
      filter = cls(conv) === 'Conv2D' ? tf.mul(kernel, scale) : tf.mul(kernel, tf.reshape(scale, [1, 1, -1, 1]));
      bias = tf.add(tf.mul(tf.sub(bias, mean), scale), beta);
      skipped.add(bn.name);
      last = bn;
    }
    let activation = 'linear';
    const relu = soleReader(last.name);
    if (relu && cls(relu) === 'ReLU' && relu.getConfig().maxValue === 6) {
      activation = 'relu6';
      skipped.add(relu.name);
      last = relu;
    }
    fused.set(conv.name, { filter, bias, activation, output: last.name });
  }

  return (x) =>
    tf.tidy(() => {
      const values = new Map();
      for (const layer of layers) {
        if (skipped.has(layer.name)) continue;
        const args = inputsOf(layer).map((name) => values.get(name));
        const config = layer.getConfig();
        let y;
        let output = layer.name;
        switch (cls(layer)) {
          case 'InputLayer':
            y = x;
            break;
          case 'ZeroPadding2D': {
            const [[top, bottom], [left, right]] = config.padding;
            y = tf.pad(args[0], [[0, 0], [top, bottom], [left, right], [0, 0]]);
            break;
          }
          case 'Conv2D':
          case 'DepthwiseConv2D': {
            const f = fused.get(layer.name);
            const op = cls(layer) === 'Conv2D' ? tf.fused.conv2d : tf.fused.depthwiseConv2d;
            y = op({ x: args[0], filter: f.filter, strides: config.strides, pad: config.padding, bias: f.bias, activation: f.activation });
            output = f.output;
            break;
          }
          case 'BatchNormalization': {
            const [gamma, beta, mean, variance] = layer.getWeights();
            y = tf.batchNorm(args[0], mean, variance, beta, gamma, config.epsilon);
            break;
          }
          case 'ReLU':
            y = config.maxValue === 6 ? tf.relu6(args[0]) : tf.relu(args[0]);
            break;
          case 'Add':
            y = tf.addN(args);
            break;
          default: // pooling, Flatten, Dropout, Dense: the layer itself (a few ms of the total)
            y = layer.apply(args.length === 1 ? args[0] : args, { training: false });
        }
        values.set(output, y);
      }
      return values.get(model.outputs[0].sourceLayer.name) ?? values.get(layers[layers.length - 1].name);
    });
}
