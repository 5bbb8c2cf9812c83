// Convolutional, pooling, merging and core layers through the JS API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTanuki } from './helpers.mjs';

const tk = await loadTanuki();

// Images whose label says which of channels 0 and 1 is brighter on average:
// learnable from globally pooled features.
function brighterChannel(n, size) {
  const x = tk.randomNormal([n, size, size, 3]);
  const v = x.dataSync();
  const labels = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = 0; p < size * size; p++) s += v[(i * size * size + p) * 3] - v[(i * size * size + p) * 3 + 1];
    labels.push(s > 0 ? [1, 0] : [0, 1]);
  }
  return [x, tk.tensor(labels)];
}

test('a functional residual CNN (conv, BN, relu6, depthwise, add, pooling) trains with fit()', async () => {
  tk.setSeed(7);
  const [x, y] = brighterChannel(32, 8);
  const input = tk.input({ shape: [8, 8, 3] });
  const conv = tk.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(input);
  const bn = tk.layers.batchNormalization().apply(conv);
  const relu = tk.layers.reLU({ maxValue: 6 }).apply(bn);
  const dw = tk.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same' }).apply(relu);
  const sum = tk.layers.add().apply([relu, dw]);
  const pooled = tk.layers.globalAveragePooling2d().apply(sum);
  const output = tk.layers.dense({ units: 2, activation: 'softmax' }).apply(pooled);
  const model = tk.model({ inputs: input, outputs: output });
  assert.deepEqual(relu.shape, [null, 4, 4, 8]);
  assert.deepEqual(output.shape, [null, 2]);

  model.compile({ optimizer: tk.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 8, batchSize: 8 });
  const loss = history.history.loss;
  assert.ok(loss.at(-1) < 0.9 * loss[0], `loss did not decrease: ${loss}`);
  assert.deepEqual(model.predict(x).shape, [32, 2]);

  // The profiler by layer: inference runs the Conv2D+BN+ReLU chain under the
  // convolution's name; a training step shows each layer's own passes.
  const { entries } = await tk.profile(() => model.predict(x).dispose(), { byLayer: true });
  const convName = model.layers[1].name;
  assert.ok(entries.some((e) => e.layer === convName && e.what === 'Conv2D+BatchNormalization+ReLU' && e.phase === 'inference'),
    JSON.stringify(entries));
  const step = await tk.profile(() => model.trainOnBatch(x, y), { byLayer: true });
  const names = new Set(model.layers.map((l) => l.name));
  // (The sum of a shared tensor's gradients belongs to no layer.)
  const trained = step.entries.filter((e) => (e.phase === 'forward' || e.phase === 'backward') && !e.what.startsWith('('));
  assert.ok(trained.length > 0 && trained.every((e) => names.has(e.layer)), JSON.stringify(trained));
  assert.ok(trained.some((e) => e.layer === convName && e.phase === 'backward'));
  const byClass = await tk.profile(() => model.predict(x).dispose());
  assert.ok(byClass.entries.every((e) => !('layer' in e)));
});

test('a sequential CNN with pooling, dropout and flatten trains and predicts', async () => {
  tk.setSeed(8);
  const [x, y] = brighterChannel(16, 6);
  const model = tk.sequential({
    layers: [
      tk.layers.rescaling({ scale: 0.5, inputShape: [6, 6, 3] }),
      tk.layers.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tk.layers.maxPooling2d({ poolSize: 2 }),
      tk.layers.zeroPadding2d({ padding: 1 }),
      tk.layers.averagePooling2d({ poolSize: 3, strides: 1 }),
      tk.layers.dropout({ rate: 0.2 }),
      tk.layers.flatten(),
      tk.layers.dense({ units: 2 }),
      tk.layers.softmax(),
    ],
  });
  model.compile({ optimizer: tk.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const history = await model.fit(x, y, { epochs: 3, batchSize: 8 });
  assert.equal(history.history.loss.length, 3);
  const a = model.predict(x).dataSync();
  const b = model.predict(x).dataSync();
  assert.deepEqual(a, b);  // dropout is the identity outside training
});

test('layer configs come back in camelCase, and bad options throw ValueError naming the layer', () => {
  const conv = tk.layers.conv2d({ name: 'c1', filters: 2, kernelSize: 3, strides: [2, 2], padding: 'same' });
  const config = conv.getConfig();
  assert.deepEqual(config.kernelSize, [3, 3]);
  assert.deepEqual(config.strides, [2, 2]);
  assert.equal(config.dataFormat, 'channels_last');
  assert.equal(conv.getClassName(), 'Conv2D');
  const merged = tk.layers.concatenate().apply([tk.input({ shape: [4, 4, 2] }), tk.input({ shape: [4, 4, 3] })]);
  assert.deepEqual(merged.shape, [null, 4, 4, 5]);

  assert.throws(
    () => tk.layers.conv2d({ name: 'c2', filters: 2, kernelSize: 3, dataFormat: 'channels_first' }),
    (e) => e instanceof tk.errors.ValueError && /Conv2D 'c2': unsupported data_format 'channels_first'/.test(e.message),
  );
  assert.throws(
    () => tk.layers.depthwiseConv2d({ name: 'd1', kernelSize: 3, dilationRate: 2 }),
    (e) => e instanceof tk.errors.ValueError && /DepthwiseConv2D 'd1': unsupported dilation_rate 2/.test(e.message),
  );
  assert.throws(
    () => tk.layers.add({ name: 'a1' }).apply([tk.input({ shape: [3] }), tk.input({ shape: [4] })]),
    (e) => e instanceof tk.errors.ValueError && /Add 'a1': expects inputs of one rank whose sizes are equal or 1 along each axis/.test(e.message),
  );
});
