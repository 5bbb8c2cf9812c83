// Ownership: dispose() frees every C++ object; create/train/predict/dispose
// loops do not grow the heap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTanuki } from './helpers.mjs';

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
  const y = model.predict(tk.ones([1, 3]));
  assert.deepEqual(y.shape, [1, 2]);
});
