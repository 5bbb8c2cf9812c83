// Bad calls throw specific JavaScript errors and the instance keeps working.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTanuki } from './helpers.mjs';

const tk = await loadTanuki();
const { ValueError, StateError } = tk.errors;

async function trainsAfterwards() {
  const model = tk.sequential({ layers: [tk.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({ optimizer: tk.train.sgd(0.02), loss: 'meanSquaredError' });
  const x = tk.tensor([[1, 2], [3, 4]]);
  const y = tk.tensor([[1], [2]]);
  const h = await model.fit(x, y, { epochs: 20 });
  assert.ok(h.history.loss[19] < h.history.loss[0]);
}

test('wrong input shape', async () => {
  const model = tk.sequential({ layers: [tk.layers.dense({ units: 2, inputShape: [3] })] });
  assert.throws(() => model.predict(tk.zeros([1, 4])), (e) => e instanceof ValueError && /expects last dimension 3/.test(e.message));
  assert.throws(() => model.add(tk.layers.dense({ units: 2, useBias: 'yes' })), ValueError);
  await trainsAfterwards();
});

test('unknown activation, layer option, optimizer and loss', async () => {
  assert.throws(() => tk.layers.dense({ units: 2, activation: 'sparkle' }), /unknown activation 'sparkle'/);
  assert.throws(() => tk.layers.dense({ units: 0 }), /'units' must be a positive integer/);
  const model = tk.sequential({ layers: [tk.layers.dense({ units: 1, inputShape: [2] })] });
  assert.throws(() => model.compile({ optimizer: 'sgdx', loss: 'mse' }), /unknown optimizer 'sgdx'/);
  assert.throws(() => model.compile({ optimizer: 'sgd', loss: 'hinge2' }), /unknown loss 'hinge2'/);
  await trainsAfterwards();
});

test('fit before compile', async () => {
  const model = tk.sequential({ layers: [tk.layers.dense({ units: 1, inputShape: [2] })] });
  await assert.rejects(model.fit(tk.zeros([2, 2]), tk.zeros([2, 1])), (e) => e instanceof StateError && /compile\(\) first/.test(e.message));
  await trainsAfterwards();
});

test('mismatched x and y, bad targets', async () => {
  const model = tk.sequential({ layers: [tk.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })] });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await assert.rejects(model.fit(tk.zeros([4, 2]), tk.zeros([3])), /same number of samples/);
  await assert.rejects(model.fit(tk.zeros([2, 2]), tk.tensor([0, 7])), /sparse label 7 is not a class index in \[0, 3\)/);
  await trainsAfterwards();
});

test('using a disposed object', async () => {
  const t = tk.tensor([1, 2, 3]);
  t.dispose();
  assert.throws(() => t.dataSync(), (e) => e instanceof StateError && /Tensor has been disposed/.test(e.message));
  const layer = tk.layers.dense({ units: 2 });
  layer.dispose();
  assert.throws(() => layer.apply(tk.zeros([1, 2])), /Layer has been disposed/);
  await trainsAfterwards();
});

test('bad tensor data', () => {
  assert.throws(() => tk.tensor([1, 2, 3], [2, 2]), /needs 4 values, got 3/);
  assert.throws(() => tk.tensor('abc'), ValueError);
});
