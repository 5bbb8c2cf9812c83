// Our forward passes and gradients against TensorFlow.js's, on the bundled
// backbone, the shared ImageNet MobileNetV1 and a small conv model.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { loadTanuki } from './helpers.mjs';
import { loadTfjsModel, maxRelativeDifference, tf, tfl } from './tfjs_reference.mjs';

const tk = await loadTanuki();
const bundled = 'dist/models/mobilenet_v2';
const v1 = '../shared/models/mobilenet_v1_0.75_224';

function randomImages(n, size, low, high) {
  tk.setSeed(42);
  return tk.randomUniform([n, size, size, 3], low, high);
}

test('bundled MobileNetV2: 5-class output and pooled features match TF.js', async () => {
  const ours = await tk.loadLayersModel(bundled);
  const theirs = await loadTfjsModel(bundled);
  const x = randomImages(2, 224, 0, 1);
  const expected = theirs.predict(tf.tensor(x.dataSync(), x.shape)).dataSync();
  const actual = ours.predict(x).dataSync();
  assert.ok(maxRelativeDifference(actual, expected) <= 1e-4, `output differs by ${maxRelativeDifference(actual, expected)}`);

  const oursFeatures = tk.model({ inputs: ours.inputs, outputs: ours.layerOutput('out_relu') });
  const theirsFeatures = tfl.model({ inputs: theirs.inputs, outputs: theirs.getLayer('out_relu').output });
  const f1 = oursFeatures.predict(x).dataSync();
  const f2 = theirsFeatures.predict(tf.tensor(x.dataSync(), x.shape)).dataSync();
  assert.equal(f1.length, 2 * 7 * 7 * 1280);
  assert.ok(maxRelativeDifference(f1, f2) <= 1e-4, `features differ by ${maxRelativeDifference(f1, f2)}`);
});

test("the bundled backbone's features (three depths, 3x3 local maxima averaged) match TF.js's, and its saved cut loads there", async () => {
  const backbone = await tk.loadBackbone('bundled');
  assert.equal(backbone.localMaxPool, 3);
  // The same recipe written independently in TF.js's layers API, on the uncut network.
  const theirs = await loadTfjsModel(bundled);
  const pooled = backbone.cutLayer.map((name) => {
    const local = tfl.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(theirs.getLayer(name).output);
    return tfl.layers.globalAveragePooling2d({}).apply(local);
  });
  const recipe = tfl.model({ inputs: theirs.inputs, outputs: tfl.layers.concatenate().apply(pooled) });
  const x = randomImages(2, 224, 0, 1);
  const expected = recipe.predict(tf.tensor(x.dataSync(), x.shape)).dataSync();
  const actual = backbone.model.predict(x).dataSync();
  assert.equal(actual.length, 2 * (576 + 960 + 1280));
  assert.ok(maxRelativeDifference(actual, expected) <= 1e-4, `features differ by ${maxRelativeDifference(actual, expected)}`);
  // A plain global average would differ: the local maxima are really taken.
  const plain = tk.model({ inputs: backbone.full.inputs, outputs: tk.layers.globalAveragePooling2d({}).apply(backbone.full.layerOutput('out_relu')) });
  const mean = plain.predict(x).dataSync();
  const own = actual.subarray(576 + 960, 576 + 960 + 1280);
  assert.ok(own.every((v, i) => v >= mean[i] - 1e-5) && own.some((v, i) => v > mean[i] + 1e-3), 'local maxima average at least the plain mean, and above it somewhere');
  const saved = await loadTfjsModel(backbone.model.toArtifacts());
  const reloaded = saved.predict(tf.tensor(x.dataSync(), x.shape)).dataSync();
  assert.ok(maxRelativeDifference(reloaded, expected) <= 1e-4, `the saved cut in TF.js differs by ${maxRelativeDifference(reloaded, expected)}`);
});

test('MobileNetV1 0.75 ImageNet: 1000-class output matches TF.js', { skip: !existsSync(v1) && `${v1} is absent` }, async () => {
  const ours = await tk.loadLayersModel(v1);
  const theirs = await loadTfjsModel(v1);
  const x = randomImages(2, 224, -1, 1);
  const expected = theirs.predict(tf.tensor(x.dataSync(), x.shape)).dataSync();
  const actual = ours.predict(x).dataSync();
  assert.equal(actual.length, 2000);
  assert.ok(maxRelativeDifference(actual, expected) <= 1e-4, `output differs by ${maxRelativeDifference(actual, expected)}`);
});

// The same small CNN in both libraries: Conv2D, BN, ReLU6, DepthwiseConv2D, Add, pooling, Dense.
function buildPair() {
  const make = (lib, layers) => {
    const input = lib.input({ shape: [8, 8, 3] });
    let x = layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', name: 'c1' }).apply(input);
    x = layers.batchNormalization({ name: 'bn1' }).apply(x);
    x = layers.reLU({ maxValue: 6, name: 'r1' }).apply(x);
    const y = layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'd1' }).apply(x);
    x = layers.add({ name: 'add' }).apply([x, y]);
    x = layers.averagePooling2d({ poolSize: 2, padding: 'same', name: 'p1' }).apply(x);
    x = layers.globalAveragePooling2d({ name: 'g1' }).apply(x);
    const output = layers.dense({ units: 3, activation: 'softmax', name: 'out' }).apply(x);
    return lib.model({ inputs: input, outputs: output });
  };
  return [make(tk, tk.layers), make(tfl, tfl.layers)];
}

for (const training of [false, true]) {
  test(`gradients of a small CNN match tf.grads (BatchNormalization training=${training})`, () => {
    const [ours, theirs] = buildPair();
    // Same weights on both sides (paired by name: TF.js lists trainable
    // weights first), BN statistics made non-trivial.
    // Seeded, so that a failure can be reproduced.
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const byName = new Map();
    ours.weights.forEach((w, i) => {
      const values = ours.getWeights()[i].dataSync().map((v) => (/moving_variance|gamma/.test(w.name) ? 0.5 + random() : v + 0.1 * random()));
      byName.set(w.name, values);
    });
    ours.setWeights(ours.weights.map((w) => tk.tensor(byName.get(w.name), w.shape)));
    theirs.setWeights(theirs.weights.map((w) => tf.tensor(byName.get(w.originalName), w.shape)));

    const x = randomImages(4, 8, -1, 1);
    const y = tk.tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]);
    const { grads } = ours.computeGradients(x, y, { loss: 'categoricalCrossentropy', training });
    const xs = tf.tensor(x.dataSync(), x.shape);
    const ys = tf.tensor(y.dataSync(), y.shape);
    const { grads: expected } = tf.variableGrads(() =>
      tf.mean(tfl.metrics.categoricalCrossentropy(ys, theirs.apply(xs, { training }))),
    );
    assert.equal(grads.length, Object.keys(expected).length);
    for (const { variable, gradient } of grads) {
      const match = theirs.trainableWeights.find((w) => w.originalName === variable.name || w.name === variable.name);
      assert.ok(match, `no TF.js weight for ${variable.name}`);
      const e = expected[match.val.name].dataSync();
      if (training && variable.name === 'c1/bias') {
        // Right before BatchNormalization in training mode, the bias's gradient
        // is 0 in exact arithmetic (the batch mean takes the bias away): both
        // sides must be rounding noise, not compared with each other's noise.
        const largest = (values) => Math.max(...Array.from(values, Math.abs));
        assert.ok(largest(gradient.dataSync()) <= 1e-5 && largest(e) <= 1e-5, `${variable.name}: ${gradient.dataSync()} and ${e} should both be 0`);
        continue;
      }
      const diff = maxRelativeDifference(gradient.dataSync(), e, 1e-4);
      assert.ok(diff <= 1e-3, `${variable.name}: gradient differs by ${diff}`);
    }
  });
}

test('a saved model loads in TF.js with the same predictions, and back in Tanuki bit-identically', async () => {
  const [ours] = buildPair();
  const artifacts = ours.toArtifacts();
  const theirs = await loadTfjsModel(artifacts);
  const x = randomImages(3, 8, -1, 1);
  const a = ours.predict(x).dataSync();
  const b = theirs.predict(tf.tensor(x.dataSync(), x.shape)).dataSync();
  assert.ok(maxRelativeDifference(a, b) <= 1e-5);
  const back = await tk.loadLayersModel(artifacts);
  ours.getWeights().forEach((w, i) => assert.deepEqual(back.getWeights()[i].dataSync(), w.dataSync()));
  assert.deepEqual(back.predict(x).dataSync(), a);
});

// Eight real photos (4 cats, 4 dogs), decoded once by Tanuki and fed to both.
const photoDir = '../shared/data/cats_vs_dogs/val';
function realPhotos(scale, offset) {
  const files = ['cat', 'dog'].flatMap((c) => [800, 801, 802, 803].map((i) => `${photoDir}/${c}/${c}.${i}.jpg`));
  return tk.concat(files.map((f) => tk.image.decode(f, { size: [224, 224], crop: 'center', scale, offset })));
}

test('real photos: both backbones match TF.js and agree on every top-1 ImageNet class', { skip: (!existsSync(photoDir) || !existsSync(v1)) && 'shared photos or models are absent' }, async () => {
  const bundledOurs = await tk.loadLayersModel(bundled);
  const bundledTheirs = await loadTfjsModel(bundled);
  let x = realPhotos(1 / 255, 0);
  let a = bundledOurs.predict(x).dataSync();
  let b = bundledTheirs.predict(tf.tensor(x.dataSync(), x.shape)).dataSync();
  assert.ok(maxRelativeDifference(a, b) <= 1e-4, `bundled output differs by ${maxRelativeDifference(a, b)}`);

  const ours = await tk.loadLayersModel(v1);
  const theirs = await loadTfjsModel(v1);
  x = realPhotos(1 / 127.5, -1);
  a = ours.predict(x).dataSync();
  b = theirs.predict(tf.tensor(x.dataSync(), x.shape)).dataSync();
  assert.ok(maxRelativeDifference(a, b) <= 1e-4, `MobileNetV1 output differs by ${maxRelativeDifference(a, b)}`);
  const argmax = (p, i) => {
    let best = 0;
    for (let j = 1; j < 1000; j++) if (p[i * 1000 + j] > p[i * 1000 + best]) best = j;
    return best;
  };
  for (let i = 0; i < 8; i++) assert.equal(argmax(a, i), argmax(b, i), `photo ${i}: top-1 differs`);
});

test('nested models round-trip between Tanuki and TF.js in both directions', async () => {
  // Tanuki -> TF.js: a functional model around a nested Sequential and a nested functional model.
  const inner = tk.sequential({ layers: [tk.layers.dense({ units: 5, activation: 'relu', inputShape: [4], name: 'inner_dense' })] });
  const subInput = tk.input({ shape: [5] });
  const sub = tk.model({ inputs: subInput, outputs: tk.layers.dense({ units: 3, name: 'sub_dense' }).apply(subInput), name: 'sub' });
  const input = tk.input({ shape: [4] });
  const output = tk.layers.softmax({ name: 'probabilities' }).apply(sub.apply(inner.apply(input, { training: false })));
  const ours = tk.model({ inputs: input, outputs: output, name: 'outer' });
  const theirs = await loadTfjsModel(ours.toArtifacts());
  const x = tk.randomNormal([6, 4]);
  const a = ours.predict(x).dataSync();
  assert.ok(maxRelativeDifference(a, theirs.predict(tf.tensor(x.dataSync(), x.shape)).dataSync()) <= 1e-5);

  // TF.js -> Tanuki: TF.js's own serialization of the same nesting.
  let saved;
  await theirs.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const back = await tk.loadLayersModel({
    modelJson: { modelTopology: saved.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: saved.weightSpecs }] },
    weightData: new Uint8Array(saved.weightData),
  });
  assert.ok(maxRelativeDifference(back.predict(x).dataSync(), a) <= 1e-5);
});
