// Ownership: dispose() frees every C++ object; create/train/predict/dispose
// loops do not grow the heap.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTanuki } from './helpers.mjs';
import { solidPng } from './png_fixtures.mjs';

const tk = await loadTanuki();

const target = tk.tensor([[1], [0], [1], [0], [1], [0], [1], [0]]);

function cycle() {
  const layers = [tk.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), tk.layers.batchNormalization(), tk.layers.dense({ units: 1 })];
  const model = tk.sequential({ layers });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const x = tk.randomNormal([8, 4]);
  model.trainOnBatch(x, target);
  const y = model.predict(x);
  y.dataSync();
  for (const w of model.weights) w.dispose();
  for (const l of model.layers) l.dispose();
  for (const l of layers) l.dispose();
  model.optimizer.dispose();
  model.loss.dispose();
  x.dispose();
  y.dispose();
  model.dispose();
}

test('10,000 create/train/predict/dispose cycles do not leak', () => {
  for (let i = 0; i < 50; i++) cycle();
  const before = tk.memory();
  for (let i = 0; i < 10000; i++) cycle();
  const after = tk.memory();
  assert.equal(after.liveHandles, before.liveHandles, 'JS wrappers left alive');
  assert.ok(after.usedBytes - before.usedBytes < 4096, `heap grew by ${after.usedBytes - before.usedBytes} bytes`);
});

test('a disposed layer inside a live model stays usable through the model', () => {
  const dense = tk.layers.dense({ units: 2, inputShape: [3] });
  const model = tk.sequential({ layers: [dense] });
  dense.dispose();  // the JS handle only; the model still owns the layer
  const x = tk.ones([1, 3]);
  const y = model.predict(x);
  assert.deepEqual(y.shape, [1, 2]);
  [x, y, model].forEach((t) => t.dispose());
});

// A replaced backbone or classifier must leave the WebAssembly heap when it is
// disposed, not when the garbage collector next runs: the library's own graph
// building (model.inputs, layerOutput(), apply()) makes short-lived wrappers,
// each of which keeps the layers and weights behind it alive until freed.
test('a backbone, a classifier, a fine-tuning and a saved classifier free the heap when disposed, without garbage collection', async () => {
  const before = tk.memory();
  const source = await tk.loadBackbone('bundled');
  const artifacts = source.full.toArtifacts();
  const onnx = source.model.toOnnx();
  source.model.dispose();
  source.full.dispose();
  const loaded = tk.memory();
  assert.equal(loaded.liveHandles, before.liveHandles, 'loadBackbone(bundled): wrappers left alive');
  assert.ok(loaded.usedBytes - before.usedBytes < 4096, `loadBackbone(bundled): ${loaded.usedBytes - before.usedBytes} B left in use`);

  for (const [what, spec, options] of [
    ['layers artifacts, the default cut', artifacts, {}],
    ['layers artifacts rebuilt at 96 x 96', artifacts, { cutLayer: 'out_relu', inputShape: [96, 96, 3] }],
    ['an .onnx file', new File([onnx], 'features.onnx'), {}],
  ]) {
    const backbone = await tk.loadBackbone(spec, options);
    backbone.model.dispose();
    backbone.full.dispose();
    const now = tk.memory();
    assert.equal(now.liveHandles, before.liveHandles, `${what}: wrappers left alive`);
    assert.ok(now.usedBytes - before.usedBytes < 4096, `${what}: ${now.usedBytes - before.usedBytes} B left in use`);
  }

  // A classifier trained, fine-tuned, saved and disposed; the saved one loaded, used and disposed.
  const classifier = await tk.ImageClassifier.fromBackbone(artifacts, { cutLayer: 'out_relu', inputShape: [64, 64, 3] });
  for (let i = 0; i < 4; i++) {
    classifier.addExample(solidPng(64, 64, [40 + i, 30, 20]), 'dark');
    classifier.addExample(solidPng(64, 64, [200 + i, 210, 220]), 'light');
  }
  await classifier.train({ epochs: 2, learningRate: 0.01, validationSplit: 0, augment: false });
  await classifier.fineTune({ layers: 3, epochs: 1, batchSize: 4, learningRate: 1e-4, validationSplit: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'tanuki-memory-'));
  await classifier.save(dir);
  classifier.dispose();
  const saved = await tk.loadClassifier(dir);
  assert.equal((await saved.predict(solidPng(64, 64, [30, 30, 30]))).length, 2);
  saved.dispose();
  rmSync(dir, { recursive: true, force: true });
  const now = tk.memory();
  assert.equal(now.liveHandles, before.liveHandles, 'classifiers: wrappers left alive');
  assert.ok(now.usedBytes - before.usedBytes < 4096, `classifiers: ${now.usedBytes - before.usedBytes} B left in use`);
});
