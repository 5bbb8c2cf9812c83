// ONNX export checked against ONNX Runtime: the exported graph, run by ONNX
// Runtime on random inputs, gives Tanuki's predict() outputs, at several
// opsets and in both input layouts; exported models read back with
// tk.loadOnnxModel; and layers without an ONNX form are refused by name.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import tanuki from 'tanuki';
import { maxAbsDifference, nchwToNhwc, nhwcToNchw, randomImages } from './onnx/onnx_helpers.mjs';
import { encodePng } from './png_fixtures.mjs';

const tk = await tanuki.load({ threads: false });
const { FormatError, ValueError } = tk.errors;
const TOLERANCE = 1e-4;
const shared = new URL('../../../shared/models/mobilenet_v1_0.25_224/', import.meta.url);
const haveShared = existsSync(shared);

/** Runs the ONNX bytes in ONNX Runtime (default session options, as a user would) on NHWC images. */
async function runOrt(bytes, nhwc, [n, h, w, c], inputLayout) {
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  const nchw = inputLayout === 'nchw';
  const feed = nchw ? new ort.Tensor('float32', nhwcToNchw(nhwc, n, h, w, c), [n, c, h, w]) : new ort.Tensor('float32', nhwc, [n, h, w, c]);
  const out = (await session.run({ [session.inputNames[0]]: feed }))[session.outputNames[0]];
  if (nchw && out.dims.length === 4) {
    const [on, oc, oh, ow] = out.dims;
    return { data: nchwToNhwc(out.data, on, oc, oh, ow), dims: [on, oh, ow, oc] };
  }
  return { data: out.data, dims: out.dims };
}

/** Exports `model` and checks ONNX Runtime's outputs against predict() on random images. */
async function compareWithOrt(model, what, { opset = 13, inputLayout = 'nhwc', batch = 2, seed = 5, scale = 1, offset = 0, size } = {}) {
  const [, declaredH, declaredW, c] = model.inputs[0].shape;
  const [h, w] = size ?? [declaredH, declaredW];
  const dims = [batch, h, w, c];
  const values = randomImages(batch, h, w, c, seed).map((v) => v * scale + offset);
  const x = tk.tensor(values, dims);
  const y = model.predict(x);
  const expected = y.dataSync();
  const expectedShape = y.shape;
  x.dispose();
  y.dispose();
  const bytes = model.toOnnx({ opset, inputLayout });
  const actual = await runOrt(bytes, values, dims, inputLayout);
  const label = `${what} (opset ${opset}, ${inputLayout}, ${h}x${w})`;
  assert.deepEqual(Array.from(actual.dims), expectedShape, `${label}: output shape`);
  const diff = maxAbsDifference(actual.data, expected);
  assert.ok(diff <= TOLERANCE, `${label}: max |ONNX Runtime - Tanuki| = ${diff}`);
  return bytes;
}

/** Exports `model`, reads the file back with tk.loadOnnxModel and checks the copy computes what the model does. */
async function compareRoundTrip(model, what, { opset = 13, inputLayout = 'nhwc', batch = 2, seed = 5, size } = {}) {
  const [, declaredH, declaredW, c] = model.inputs[0].shape;
  const [h, w] = size ?? [declaredH, declaredW];
  // A model of any image size reads back at the size options.inputShape gives.
  const back = await tk.loadOnnxModel(model.toOnnx({ opset, inputLayout }), size ? { inputShape: [h, w, c] } : {});
  const x = randomImages(batch, h, w, c, seed, tk);
  const expected = model.predict(x);
  const actual = back.predict(x);
  const label = `${what} read back (opset ${opset}, ${inputLayout})`;
  assert.deepEqual(actual.shape, expected.shape, `${label}: output shape`);
  const diff = maxAbsDifference(actual.dataSync(), expected.dataSync());
  assert.ok(diff <= TOLERANCE, `${label}: max |re-imported - original| = ${diff}`);
  [x, expected, actual].forEach((t) => t.dispose());
  back.dispose();
}

/** Every layer class inside a model, nested models included. */
function layerClasses(model, into = new Set()) {
  for (const layer of model.layers) {
    into.add(layer.getClassName());
    if (Array.isArray(layer.layers)) layerClasses(layer, into);
  }
  return into;
}

/** Random values for every weight (BatchNormalization's variances positive), so no layer is the identity. */
function randomizeWeights(model, seed) {
  let s = seed;
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (!weights.length) continue;
    const fresh = weights.map((w) => {
      const v = new Float32Array(w.size);
      const positive = layer.getClassName() === 'BatchNormalization' && weights.indexOf(w) === weights.length - 1;
      for (let i = 0; i < v.length; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        const r = s / 2 ** 32;
        v[i] = positive ? 0.5 + r : r - 0.5;
      }
      return tk.tensor(v, w.shape);
    });
    layer.setWeights(fresh);
    [...weights, ...fresh].forEach((t) => t.dispose());
  }
}

// Convolutions, normalization, pooling and the dense head (Sequential).
function convolutionalModel() {
  tk.setSeed(1);
  const L = tk.layers;
  const model = tk.sequential({
    layers: [
      L.rescaling({ scale: 1.5, offset: -0.25, inputShape: [13, 11, 3] }),
      L.zeroPadding2d({ padding: [[1, 2], [0, 1]] }),
      L.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      L.batchNormalization({ epsilon: 0.01 }),
      L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu6' }),
      L.separableConv2d({ filters: 5, kernelSize: 2, padding: 'valid', activation: 'elu' }),
      L.conv2d({ filters: 6, kernelSize: [1, 2], strides: [1, 2], padding: 'valid', activation: 'selu' }),
      L.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
      L.averagePooling2d({ poolSize: 2, padding: 'same' }),
      L.activation({ activation: 'hard_sigmoid' }),
      L.globalAveragePooling2d(),
      L.batchNormalization(),
      L.dense({ units: 7, activation: 'swish' }),
      L.dropout({ rate: 0.5 }),
      L.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  randomizeWeights(model, 7);
  return model;
}

// Merges, concatenation over channels and over height, ReLU's options and the activations (functional).
function mergingModel() {
  tk.setSeed(2);
  const L = tk.layers;
  const input = tk.input({ shape: [6, 8, 4] });
  const a = L.conv2d({ filters: 4, kernelSize: 1, activation: 'tanh' }).apply(input);
  const b = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'sigmoid' }).apply(input);
  const sum = L.add().apply([a, b, input]);
  const product = L.multiply().apply([sum, a]);
  const channels = L.concatenate().apply([product, input]);
  const rows = L.concatenate({ axis: 1 }).apply([channels, channels]);
  const leaky = L.reLU({ negativeSlope: 0.1 }).apply(rows);
  const clipped = L.reLU({ maxValue: 0.8, negativeSlope: 0.3, threshold: 0.2 }).apply(leaky);
  const capped = L.reLU({ maxValue: 1.2 }).apply(L.activation({ activation: 'softplus' }).apply(clipped));
  const soft = L.softmax().apply(L.activation({ activation: 'gelu' }).apply(capped));
  const signs = L.activation({ activation: 'softsign' }).apply(L.activation({ activation: 'linear' }).apply(soft));
  const pooled = L.globalMaxPooling2d().apply(signs);
  const output = L.dense({ units: 5 }).apply(L.activation({ activation: 'relu' }).apply(pooled));
  const model = tk.model({ inputs: input, outputs: output });
  randomizeWeights(model, 11);
  return model;
}

// Squeeze-excite (MobileNetV3): a gate [N, 1, 1, C] broadcast over its feature
// map by Multiply, and by Add in the other order; then Flatten of the 1 x 1 gate.
function squeezeExciteModel() {
  tk.setSeed(6);
  const L = tk.layers;
  const input = tk.input({ shape: [6, 8, 4] });
  const trunk = L.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input);
  let gate = L.globalAveragePooling2d({ keepdims: true }).apply(trunk);
  gate = L.conv2d({ filters: 3, kernelSize: 1, activation: 'relu' }).apply(gate);
  gate = L.conv2d({ filters: 6, kernelSize: 1, activation: 'hard_sigmoid' }).apply(gate);
  const excited = L.multiply().apply([trunk, gate]);
  const shifted = L.add().apply([gate, excited]);
  const flat = L.concatenate().apply([L.flatten().apply(shifted), L.flatten().apply(gate)]);
  const model = tk.model({ inputs: input, outputs: L.dense({ units: 3 }).apply(flat) });
  randomizeWeights(model, 17);
  return model;
}

// Reshape, Dense on 3-D tensors, LayerNormalization, Flatten, and a nested Sequential.
function reshapingModel() {
  tk.setSeed(3);
  const L = tk.layers;
  const inner = tk.sequential({
    layers: [
      L.reshape({ targetShape: [30, 2], inputShape: [6, 5, 2] }),
      L.dense({ units: 4, activation: 'relu' }),
      L.layerNormalization({ epsilon: 0.01 }),
      L.reshape({ targetShape: [5, 6, 4] }),
    ],
  });
  const input = tk.input({ shape: [6, 5, 2] });
  const conv = L.conv2d({ filters: 3, kernelSize: 2, activation: 'relu' }).apply(inner.apply(input));
  const normalized = L.layerNormalization({ axis: [-3, -2, -1] }).apply(conv);
  const pooled = L.globalAveragePooling2d({ keepdims: true }).apply(conv);
  const flat = L.concatenate().apply([L.flatten().apply(normalized), L.flatten().apply(pooled)]);
  const output = L.dense({ units: 2 }).apply(flat);
  const model = tk.model({ inputs: input, outputs: output });
  randomizeWeights(model, 13);
  return model;
}

// The random augmentation layers: identity in inference, so left out.
function augmentedModel() {
  tk.setSeed(4);
  const L = tk.layers;
  return tk.sequential({
    layers: [
      tk.input({ shape: [8, 8, 3] }),
      L.randomFlip(),
      L.randomRotation({ factor: 0.1 }),
      L.randomZoom({ heightFactor: 0.1 }),
      L.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 }),
      L.randomContrast({ factor: 0.2 }),
      L.conv2d({ filters: 2, kernelSize: 3 }),
    ],
  });
}

test('a model with every layer class matches ONNX Runtime at opsets 11, 13 and 17, in both input layouts', async () => {
  const models = { convolutional: convolutionalModel(), merging: mergingModel(), squeezeExcite: squeezeExciteModel(), reshaping: reshapingModel(), augmented: augmentedModel() };
  const covered = new Set();
  for (const model of Object.values(models)) layerClasses(model, covered);
  const missing = JSON.parse(tk.core.supportedLayers()).filter((c) => !covered.has(c));
  assert.deepEqual(missing, [], 'every registered layer class is in a test model');
  for (const [what, model] of Object.entries(models)) {
    for (const opset of [11, 13, 17]) {
      for (const inputLayout of ['nhwc', 'nchw']) await compareWithOrt(model, what, { opset, inputLayout });
    }
  }
  const { droppedLayers } = models.augmented.toOnnxArtifacts();
  assert.equal(droppedLayers.length, 5);
  for (const c of ['RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomTranslation', 'RandomContrast']) {
    assert.ok(droppedLayers.some((line) => line.startsWith(`${c} '`)), `${c} is reported as left out: ${droppedLayers}`);
  }
  assert.match(models.convolutional.toOnnxArtifacts().droppedLayers.join('\n'), /^Dropout '/);
  Object.values(models).forEach((m) => m.dispose());
});

test('tk.loadOnnxModel reads back the export of every layer class at opsets 11, 13 and 17, in both input layouts', async () => {
  const models = { convolutional: convolutionalModel(), merging: mergingModel(), reshaping: reshapingModel(), augmented: augmentedModel() };
  // BatchNormalization of a 3-D tensor exports as Mul and Add over the last axis.
  const L = tk.layers;
  models.sequence = tk.sequential({ layers: [L.reshape({ targetShape: [12, 2], inputShape: [4, 3, 2] }), L.dense({ units: 3 }), L.batchNormalization()] });
  randomizeWeights(models.sequence, 17);
  for (const [what, model] of Object.entries(models)) {
    for (const opset of [11, 13, 17]) {
      for (const inputLayout of ['nhwc', 'nchw']) await compareRoundTrip(model, what, { opset, inputLayout });
    }
  }
  Object.values(models).forEach((m) => m.dispose());
});

test('an exported squeeze-excite model reads back with tk.loadOnnxModel, its broadcasting Mul a Multiply again', async () => {
  const model = squeezeExciteModel();
  for (const inputLayout of ['nhwc', 'nchw']) {
    const back = await tk.loadOnnxModel(model.toOnnx({ inputLayout }));
    assert.ok(back.layers.some((l) => l.getClassName() === 'Multiply'), inputLayout);
    const x = randomImages(2, 6, 8, 4, 8, tk);
    const [a, b] = [model.predict(x), back.predict(x)];
    const diff = maxAbsDifference(a.dataSync(), b.dataSync());
    assert.ok(diff <= TOLERANCE, `${inputLayout} round trip: max |re-imported - original| = ${diff}`);
    [x, a, b].forEach((t) => t.dispose());
    back.dispose();
  }
  model.dispose();
});

test('a model of any image size exports with dynamic height and width', async () => {
  tk.setSeed(5);
  const L = tk.layers;
  const input = tk.input({ shape: [null, null, 3] });
  let x = L.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(input);
  x = L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x);
  x = L.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same' }).apply(x);
  x = L.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }).apply(x);
  const model = tk.model({ inputs: input, outputs: L.dense({ units: 3 }).apply(L.globalAveragePooling2d().apply(x)) });
  for (const size of [[9, 7], [16, 16], [5, 12]]) {
    for (const inputLayout of ['nhwc', 'nchw']) await compareWithOrt(model, 'dynamic size', { size, inputLayout });
  }
  for (const inputLayout of ['nhwc', 'nchw']) await compareRoundTrip(model, 'dynamic size', { size: [9, 7], inputLayout });
  await assert.rejects(tk.loadOnnxModel(model.toOnnx()), (e) => e instanceof FormatError && /inputShape/.test(e.message));
  model.dispose();
});

test("ZeroPadding2D before a pooling layer stays exact under ONNX Runtime's graph optimizations", async () => {
  const L = tk.layers;
  const input = tk.input({ shape: [7, 6, 2] });
  const padded = L.zeroPadding2d({ padding: [[1, 2], [2, 1]] }).apply(input);
  const max = L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(padded);
  const maxValid = L.maxPooling2d({ poolSize: 2, padding: 'valid' }).apply(L.zeroPadding2d({ padding: 1 }).apply(input));
  const average = L.averagePooling2d({ poolSize: 2, strides: 1 }).apply(padded);
  const flat = L.concatenate().apply([max, maxValid, average].map((t) => L.flatten().apply(t)));
  const model = tk.model({ inputs: input, outputs: flat });
  // Negative inputs: a window over padding must pick the zeros.
  for (const inputLayout of ['nhwc', 'nchw']) await compareWithOrt(model, 'zero padding + pooling', { inputLayout, offset: -2 });
  // The Max after each MaxPool reads back as what it is on Tanuki's layers, the identity.
  for (const inputLayout of ['nhwc', 'nchw']) await compareRoundTrip(model, 'zero padding + pooling', { inputLayout });
  model.dispose();
});

test('the bundled MobileNetV2 backbone matches ONNX Runtime, cut (4-D output) and whole', async () => {
  const backbone = await tk.loadBackbone('bundled');
  for (const inputLayout of ['nhwc', 'nchw']) await compareWithOrt(backbone.model, 'bundled backbone cut', { inputLayout, batch: 1 });
  for (const opset of [11, 13, 17]) await compareWithOrt(backbone.full, 'bundled network', { opset, batch: 2, seed: opset });
  backbone.model.dispose();
  backbone.full.dispose();
});

test('the bundled MobileNetV2 network, whole, reads back with tk.loadOnnxModel', async () => {
  const backbone = await tk.loadBackbone('bundled');
  for (const inputLayout of ['nhwc', 'nchw']) await compareRoundTrip(backbone.full, 'bundled network', { inputLayout });
  await compareRoundTrip(backbone.full, 'bundled network', { opset: 17, batch: 1 });
  backbone.model.dispose();
  backbone.full.dispose();
});

function picture(kind, seed) {
  const size = 24;
  let s = seed * 7919 + (kind === 'red' ? 1 : 2);
  const random = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pixels = new Uint8Array(size * size * 3);
  const base = kind === 'red' ? [200, 60, 60] : [60, 60, 200];
  for (let i = 0; i < size * size; i++) pixels.set(base.map((c) => Math.max(0, Math.min(255, c + (random() - 0.5) * 120))), i * 3);
  return encodePng(size, size, pixels);
}

test('a trained ImageClassifier exports; the file reads back with tk.loadOnnxModel and gives the same outputs', async () => {
  const classifier = await tk.ImageClassifier.fromBackbone('bundled');
  for (let i = 0; i < 4; i++) {
    classifier.addExample(picture('red', i), 'red');
    classifier.addExample(picture('blue', i), 'blue');
  }
  await classifier.train({ epochs: 3, learningRate: 0.01, augment: false, dropout: 0.2, seed: 1 });
  const model = classifier.toModel();
  // Pixel values as the classifier gets them: 0..255.
  for (const inputLayout of ['nhwc', 'nchw']) await compareWithOrt(model, 'classifier', { inputLayout, scale: 255 });
  const bytes = model.toOnnx();
  const back = await tk.loadOnnxModel(bytes);
  const x = randomImages(2, 224, 224, 3, 9, tk);
  const original = model.predict(x);
  const reread = back.predict(x);
  assert.deepEqual(reread.shape, original.shape);
  const diff = maxAbsDifference(reread.dataSync(), original.dataSync());
  assert.ok(diff <= TOLERANCE, `round trip: max |re-imported - original| = ${diff}`);
  [x, original, reread].forEach((t) => t.dispose());
  back.dispose();
  classifier.dispose();
});

test('model.save writes an .onnx file for a path and a file:// URL; tk.loadModel reads it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tanuki-onnx-export-'));
  const model = augmentedModel();
  const saved = await model.save(join(dir, 'model.onnx'), { opset: 17 });
  assert.equal(saved.path, join(dir, 'model.onnx'));
  assert.equal(saved.droppedLayers.length, 5);
  const bytes = new Uint8Array(await readFile(saved.path));
  assert.equal(saved.bytes, bytes.length);
  const viaUrl = await model.save(pathToFileURL(join(dir, 'url.onnx')).href, { opset: 17 });
  assert.deepEqual(new Uint8Array(await readFile(viaUrl.path)), bytes);
  const loaded = await tk.loadModel(saved.path);
  const x = randomImages(1, 8, 8, 3, 3, tk);
  const a = model.predict(x);
  const b = loaded.predict(x);
  assert.ok(maxAbsDifference(a.dataSync(), b.dataSync()) <= TOLERANCE);
  [x, a, b].forEach((t) => t.dispose());
  loaded.dispose();
  model.dispose();
});

test('what cannot be exported is refused with a clear error', () => {
  // Every registered layer class exports (the core's tests check the list), so
  // what remains to refuse is a model without a known input, and bad options.
  const unbuilt = tk.sequential({ layers: [tk.layers.dense({ units: 2, name: 'head' })] });
  assert.throws(() => unbuilt.toOnnx(), (e) => e instanceof FormatError && /Sequential '.*' to ONNX: its input shape is unknown/.test(e.message));
  const model = augmentedModel();
  assert.throws(() => model.toOnnx({ opset: 9 }), (e) => e instanceof ValueError && /opset 9/.test(e.message));
  assert.throws(() => model.toOnnx({ opset: 13.5 }), (e) => e instanceof ValueError && /opset/.test(e.message));
  assert.throws(() => model.toOnnx({ inputLayout: 'chw' }), (e) => e instanceof ValueError && /inputLayout/.test(e.message));
  model.dispose();
  unbuilt.dispose();
});

test('the ImageNet MobileNetV1 0.25 matches ONNX Runtime', { skip: !haveShared && 'no ../shared/models/mobilenet_v1_0.25_224' }, async () => {
  const model = await tk.loadLayersModel(new URL('model.json', shared));
  for (const inputLayout of ['nhwc', 'nchw']) await compareWithOrt(model, 'MobileNetV1 0.25', { inputLayout, batch: 2 });
  model.dispose();
});

test('the ImageNet MobileNetV1 0.25 reads back with tk.loadOnnxModel', { skip: !haveShared && 'no ../shared/models/mobilenet_v1_0.25_224' }, async () => {
  const model = await tk.loadLayersModel(new URL('model.json', shared));
  for (const inputLayout of ['nhwc', 'nchw']) await compareRoundTrip(model, 'MobileNetV1 0.25', { inputLayout });
  model.dispose();
});
