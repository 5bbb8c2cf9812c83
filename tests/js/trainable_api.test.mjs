// Keras's trainable API, as the transfer-learning guide shows it, through the JS API.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { loadTanuki, sameValues } from './helpers.mjs';

const tk = await loadTanuki();
const counts = (l) => [l.weights.length, l.trainableWeights.length, l.nonTrainableWeights.length];

test('Dense built on (None, 4): 2 weights, 2 trainable, 0 non-trainable', () => {
  const dense = tk.layers.dense({ units: 3 });
  dense.build([null, 4]);
  assert.deepEqual(counts(dense), [2, 2, 0]);
  assert.deepEqual(dense.weights.map((w) => w.shape), [[4, 3], [3]]);
  assert.ok(dense.weights.every((w) => w.trainable));
  assert.equal(dense.countParams(), 15);
});

test('BatchNormalization: 4 / 2 / 2, moving statistics non-trainable', () => {
  const bn = tk.layers.batchNormalization();
  bn.build([null, 4]);
  assert.deepEqual(counts(bn), [4, 2, 2]);
  assert.deepEqual(
    bn.nonTrainableWeights.map((w) => w.name.split('/')[1]),
    ['moving_mean', 'moving_variance'],
  );
});

test('frozen Dense: 2 / 0 / 2, and unfreezing restores it', () => {
  const dense = tk.layers.dense({ units: 3 });
  dense.build([null, 4]);
  dense.trainable = false;
  assert.deepEqual(counts(dense), [2, 0, 2]);
  assert.ok(dense.weights.every((w) => !w.trainable));
  dense.trainable = true;
  assert.deepEqual(counts(dense), [2, 2, 0]);
});

test('fit leaves frozen layer1 bit-identical and changes layer2', async () => {
  const layer1 = tk.layers.dense({ units: 3, activation: 'relu' });
  const layer2 = tk.layers.dense({ units: 3, activation: 'sigmoid' });
  const model = tk.sequential({ layers: [tk.layers.inputLayer({ inputShape: [3] }), layer1, layer2] });
  layer1.trainable = false;
  const before1 = layer1.getWeights().map((t) => t.dataSync());
  const before2 = layer2.getWeights().map((t) => t.dataSync());
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const history = await model.fit(tk.randomNormal([2, 3]), tk.randomNormal([2, 3]));
  assert.equal(history.history.loss.length, 1);
  layer1.getWeights().forEach((t, i) => assert.ok(sameValues(t.dataSync(), before1[i]), 'layer1 changed'));
  assert.ok(layer2.getWeights().some((t, i) => !sameValues(t.dataSync(), before2[i])), 'layer2 did not change');
});

test('freezing a model is recursive; unfreezing restores every layer', () => {
  const inner = tk.sequential({
    layers: [tk.layers.dense({ units: 3, activation: 'relu', inputShape: [3] }), tk.layers.dense({ units: 3 })],
  });
  const input = tk.input({ shape: [3] });
  const output = tk.layers.dense({ units: 3, activation: 'sigmoid' }).apply(inner.apply(input));
  const model = tk.model({ inputs: input, outputs: output });
  assert.equal(model.trainableWeights.length, 6);
  model.trainable = false;
  assert.equal(model.trainableWeights.length, 0);
  assert.equal(model.nonTrainableWeights.length, 6);
  assert.equal(inner.trainable, false);
  assert.ok(inner.layers.every((l) => l.trainable === false));
  model.trainable = true;
  assert.ok(inner.layers.every((l) => l.trainable === true));
  assert.equal(model.trainableWeights.length, 6);
});

test('BatchNormalization updates moving statistics only when training and trainable', () => {
  const bn = tk.layers.batchNormalization();
  const x = tk.tensor([[1, 2], [3, 4], [5, 6], [7, 8]]);
  bn.apply(x, { training: false });
  assert.deepEqual(Array.from(bn.getWeights()[2].dataSync()), [0, 0]);
  bn.trainable = false;
  bn.apply(x, { training: true });
  assert.deepEqual(Array.from(bn.getWeights()[2].dataSync()), [0, 0]);
  bn.trainable = true;
  bn.apply(x, { training: true });
  const mean = bn.getWeights()[2].dataSync();
  assert.ok(Math.abs(mean[0] - 0.04) < 1e-6 && Math.abs(mean[1] - 0.05) < 1e-6);
});

test('the walkthrough prints the guide\'s figures', () => {
  const out = execFileSync(process.execPath, ['examples/trainable_walkthrough.mjs'], { encoding: 'utf8' });
  assert.match(out, /weights: 2 trainable_weights: 2 non_trainable_weights: 0/);
  assert.match(out, /weights: 4 trainable_weights: 2 non_trainable_weights: 2/);
  assert.match(out, /weights: 2 trainable_weights: 0 non_trainable_weights: 2/);
  assert.match(out, /layer1 weights unchanged: true/);
  assert.match(out, /layer2 weights changed: true/);
  assert.match(out, /outer trainable_weights: 0/);
  assert.match(out, /after unfreezing, outer trainable_weights: 6/);
});
