// Every imported format carried through what a user does next, each step
// against an oracle: fine-tune a few steps (the trainable weights move, a
// frozen BatchNormalization's moving statistics do not, nor do they under
// training=false: Keras semantics), save in the layers format (TF.js's
// tfjs-layers gives the same outputs), export to ONNX (ONNX Runtime gives the
// same outputs, on random images and on a real photo). The fixtures: the two
// TF.js graph models, and ONNX models from two writers of the ONNX project
// (onnx.helper; onnx.compose with external data: libonnx-testdata's whole
// networks, real/, are only download pointers in Debian's package). The
// import itself is checked in graph_model.test.mjs and onnx_import.test.mjs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import tanuki from 'tanuki';
import { decodeNsfwjsModel } from '../../scripts/nsfwjs_model.mjs';
import { findOnnxPython, maxAbsDifference, randomImages } from './onnx/onnx_helpers.mjs';
import { loadTfjsModel, tf } from './tfjs_reference.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
// Single-threaded: the formats are what is checked here, not the kernels' threading.
const tk = await tanuki.load({ threads: false });
const TOLERANCE = 1e-4;

const V1_DIR = fileURLToPath(new URL('../../../shared/models/mobilenet_v1_0.25_224/imagenet/', import.meta.url));
const skipV1 = existsSync(join(V1_DIR, 'model.json')) ? false : 'the shared MobileNetV1 graph model is absent';
const PHOTOS = fileURLToPath(new URL('../../../shared/data/cats_vs_dogs/val/cat/', import.meta.url));
const firstPhoto = existsSync(PHOTOS) ? readdirSync(PHOTOS).filter((f) => f.endsWith('.jpg')).sort()[0] : undefined;
const photo = firstPhoto ? join(PHOTOS, firstPhoto) : null;
if (!photo) console.log('format round trips: ../shared/data/cats_vs_dogs is absent, so the real-photo comparisons are skipped');

const python = findOnnxPython();
const skipOnnx = python ? false : 'python3 with the onnx module is missing (Debian package python3-onnx)';
let onnxDir;
if (python) {
  onnxDir = await mkdtemp(join(tmpdir(), 'tanuki-roundtrip-'));
  execFileSync(python, [join(here, 'onnx/make_models.py'), onnxDir]);
  execFileSync(python, [join(here, 'onnx/make_composed.py'), onnxDir]);
}

async function readArtifacts(dir) {
  const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  const parts = [];
  for (const group of modelJson.weightsManifest) for (const p of group.paths) parts.push(await readFile(join(dir, p)));
  return { modelJson, weightData: new Uint8Array(Buffer.concat(parts)) };
}

const batchNorms = (model) => model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
const weightValues = (layer) => layer.getWeights().map((w) => {
  const values = w.dataSync().slice();
  w.dispose();
  return values;
});
/** The largest change of any of the layers' weights between two weightValues() snapshots. */
const moved = (before, after) => Math.max(0, ...before.flatMap((ws, i) => ws.map((w, j) => maxAbsDifference(after[i][j], w))));

/** A few SGD steps on random images and labels (logits: a model that ends without a softmax). */
async function fineTune(model, x, { classes, logits }, steps = 2) {
  const n = x.shape[0];
  const y = tk.tensor(Float32Array.from({ length: n }, (_, i) => i % classes), [n]);
  model.compile({ optimizer: tk.train.sgd(0.05), loss: { name: 'sparseCategoricalCrossentropy', fromLogits: logits } });
  const history = await model.fit(x, y, { epochs: steps, batchSize: n, shuffle: false });
  y.dispose();
  assert.ok(history.history.loss.every(Number.isFinite), `losses ${history.history.loss}`);
}

/**
 * (a) Fine-tuning: with every BatchNormalization frozen the other trainable
 * weights move and the frozen layers' weights (moving statistics included) do
 * not; a frozen BatchNormalization runs in inference mode even in a training
 * call. Unfrozen, calls with training=false leave the moving statistics alone,
 * and a fit step moves them (so the checks above can fail).
 */
async function checkFineTuning(model, x, head) {
  const bns = batchNorms(model);
  const trained = model.layers.filter((l) => l.trainableWeights.length > 0 && l.getClassName() !== 'BatchNormalization');
  assert.ok(trained.length > 0, 'the model has trainable layers');
  for (const bn of bns) bn.trainable = false;
  const before = trained.map(weightValues);
  const bnBefore = bns.map(weightValues);
  if (bns.length && !model.layers.some((l) => l.getClassName() === 'Dropout')) {
    const inference = model.apply(x, { training: false });
    const training = model.apply(x, { training: true });
    const diff = maxAbsDifference(training.dataSync(), inference.dataSync());
    assert.ok(diff <= 1e-6, `a frozen BatchNormalization runs in inference mode: training call - inference call = ${diff}`);
    [inference, training].forEach((t) => t.dispose());
  }
  await fineTune(model, x, head);
  assert.ok(moved(before, trained.map(weightValues)) > 0, 'the trainable weights moved');
  assert.equal(moved(bnBefore, bns.map(weightValues)), 0, 'frozen BatchNormalization layers kept every weight');
  if (!bns.length) return;
  for (const bn of bns) bn.trainable = true;
  const stats = bns.map(weightValues);
  model.apply(x, { training: false }).dispose();
  model.predict(x).dispose();
  assert.equal(moved(stats, bns.map(weightValues)), 0, 'training=false leaves the moving statistics alone');
  await fineTune(model, x, head, 1);
  const movingOnly = (snap) => snap.map((ws) => ws.slice(2));
  assert.ok(moved(movingOnly(stats), movingOnly(bns.map(weightValues))) > 0, 'a training step of an unfrozen BatchNormalization moves its statistics');
}

/** (b) The layers format, read by TF.js's tfjs-layers: same outputs. */
async function checkLayersFormat(model, x) {
  const ours = model.predict(x);
  const dir = join(await mkdtemp(join(tmpdir(), 'tanuki-roundtrip-layers-')), 'model');
  await model.save(dir);
  const tfModel = await loadTfjsModel(dir);
  const input = tf.tensor(x.dataSync(), x.shape);
  const theirs = tfModel.predict(input);
  const diff = maxAbsDifference(theirs.dataSync(), ours.dataSync());
  assert.deepEqual(theirs.shape, ours.shape);
  [input, theirs].forEach((t) => t.dispose());
  tfModel.dispose();
  ours.dispose();
  assert.ok(diff <= TOLERANCE, `max |TF.js layers - Tanuki| = ${diff}`);
}

/** (c) ONNX export run by ONNX Runtime (default session options): same outputs. */
async function checkOnnxExport(model, inputs) {
  const session = await ort.InferenceSession.create(model.toOnnx(), { logSeverityLevel: 3 });
  for (const [what, x] of Object.entries(inputs)) {
    const ours = model.predict(x);
    const feed = new ort.Tensor('float32', x.dataSync().slice(), x.shape);
    const theirs = (await session.run({ [session.inputNames[0]]: feed }))[session.outputNames[0]];
    assert.deepEqual(Array.from(theirs.dims), ours.shape, `${what}: output shape`);
    const diff = maxAbsDifference(theirs.data, ours.dataSync());
    ours.dispose();
    assert.ok(diff <= TOLERANCE, `${what}: max |ONNX Runtime - Tanuki| = ${diff}`);
  }
  await session.release();
}

/** Fine-tune, then the layers format and the ONNX export of the fine-tuned model. */
async function roundTrips(model, { size, classes, logits = false, seed, scale, offset }) {
  const x = randomImages(2, size, size, 3, seed, tk);
  await checkFineTuning(model, x, { classes, logits });
  await checkLayersFormat(model, x);
  const inputs = { 'random images': x };
  if (photo) inputs['a photo'] = tk.image.decode(photo, { size: [size, size], scale, offset });
  await checkOnnxExport(model, inputs);
  Object.values(inputs).forEach((t) => t.dispose());
  model.dispose();
}

test("nsfwjs's MobileNetV2 graph model: fine-tunes, saves for TF.js, exports for ONNX Runtime", async () => {
  const model = await tk.loadGraphModel(decodeNsfwjsModel(root, 'mobilenet_v2_mid'));
  await roundTrips(model, { size: 224, classes: 5, seed: 3, scale: 1 / 255, offset: 0 });
});

test('the TF-Hub MobileNetV1 graph model: fine-tunes, saves for TF.js, exports for ONNX Runtime', { skip: skipV1 }, async () => {
  const model = await tk.loadGraphModel(await readArtifacts(V1_DIR));
  await roundTrips(model, { size: 224, classes: 1001, logits: true, seed: 4, scale: 1 / 255, offset: 0 });
});

test('an onnx.helper MobileNet with BatchNormalization: fine-tunes, saves for TF.js, exports for ONNX Runtime', { skip: skipOnnx }, async () => {
  const model = await tk.loadOnnxModel(join(onnxDir, 'mobilenet_v1_opset13.onnx'));
  assert.ok(batchNorms(model).length >= 4, 'BatchNormalization layers');
  await roundTrips(model, { size: 32, classes: 5, seed: 5, scale: 1 / 127.5, offset: -1 });
});

test('an onnx.compose model with external data: fine-tunes, saves for TF.js, exports for ONNX Runtime', { skip: skipOnnx }, async () => {
  const path = join(onnxDir, 'composed.onnx');
  const externalData = { 'composed.bin': await readFile(join(onnxDir, 'composed.bin')) };
  // First as read: the import against ONNX Runtime on the original file.
  const model = await tk.loadOnnxModel(path, { externalData });
  assert.ok(batchNorms(model).length >= 4, 'BatchNormalization layers');
  const x = randomImages(2, 32, 32, 3, 6, tk);
  const session = await ort.InferenceSession.create(path, { logSeverityLevel: 3 });
  const nchw = tf.tidy(() => tf.transpose(tf.tensor(x.dataSync(), x.shape), [0, 3, 1, 2]).dataSync());
  const expected = (await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', nchw, [2, 3, 32, 32]) }))[session.outputNames[0]].data;
  const diff = maxAbsDifference(model.predict(x).dataSync(), expected);
  assert.ok(diff <= TOLERANCE, `import: max |Tanuki - ONNX Runtime| = ${diff}`);
  x.dispose();
  await session.release();
  await roundTrips(model, { size: 32, classes: 4, seed: 7, scale: 1 / 127.5, offset: -1 });
});

// Gradients of an imported model against central finite differences of its
// loss (training=false: BatchNormalization uses its moving statistics, so the
// loss is a fixed function of the weights). In float32, eps = 1e-2 on a loss of
// order 1 leaves about 1e-4 of rounding and kinks of ReLU/Clip unlikely to be crossed.
test('the gradients of an imported ONNX model match finite differences', { skip: skipOnnx }, async () => {
  const model = await tk.loadOnnxModel(join(onnxDir, 'mobilenet_v1_opset13.onnx'));
  const x = randomImages(2, 32, 32, 3, 8, tk);
  const y = tk.tensor(Float32Array.of(1, 3), [2]);
  const loss = 'sparseCategoricalCrossentropy';
  const lossAt = () => model.computeGradients(x, y, { loss, training: false });
  const { loss: base, grads } = lossAt();
  assert.ok(Number.isFinite(base));
  const EPS = 1e-2;
  let checked = 0;
  // The first convolution, the first BatchNormalization's gamma, the first depthwise convolution, and the Gemm's weights and bias.
  const names = grads.map((e) => e.variable.name);
  const picked = [0, 1, names.findIndex((n) => n.endsWith('depthwise_kernel')), grads.length - 2, grads.length - 1];
  assert.deepEqual(picked.map((i) => names[i].split('/').pop()), ['kernel', 'gamma', 'depthwise_kernel', 'kernel', 'bias'], names.join(', '));
  for (const index of picked) {
    const { variable, gradient } = grads[index];
    const g = gradient.dataSync();
    const original = variable.read();
    const values = original.dataSync().slice();
    // The entries with the largest gradients, and one more anywhere.
    const order = Array.from(g.keys()).sort((a, b) => Math.abs(g[b]) - Math.abs(g[a]));
    for (const i of [order[0], order[1], order[Math.floor(order.length / 2)]]) {
      const at = (delta) => {
        const v = values.slice();
        v[i] += delta;
        const t = tk.tensor(v, variable.shape);
        variable.assign(t);
        t.dispose();
        const r = lossAt();
        r.grads.forEach((e) => e.gradient.dispose());
        return r.loss;
      };
      const numeric = (at(EPS) - at(-EPS)) / (2 * EPS);
      variable.assign(original);
      const scale = Math.max(Math.abs(g[order[0]]), 1e-3);
      assert.ok(Math.abs(numeric - g[i]) <= 2e-2 * scale, `${variable.name}[${i}]: analytic ${g[i]}, finite differences ${numeric}`);
      checked++;
    }
    original.dispose();
  }
  assert.equal(checked, 15);
  grads.forEach((e) => e.gradient.dispose());
  [x, y].forEach((t) => t.dispose());
  model.dispose();
});
