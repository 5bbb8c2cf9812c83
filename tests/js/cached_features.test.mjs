// fit() caches the activations below the frozen part of a model; the results
// equal the uncached path exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTanuki } from './helpers.mjs';

const tk = await loadTanuki();

function build({ dropoutInBase = false } = {}) {
  tk.setSeed(21);
  const base = tk.sequential({
    layers: [
      tk.layers.dense({ units: 12, activation: 'relu', inputShape: [6] }),
      tk.layers.batchNormalization(),
      ...(dropoutInBase ? [tk.layers.dropout({ rate: 0.3 })] : []),
      tk.layers.dense({ units: 8, activation: 'tanh' }),
    ],
  });
  base.trainable = false;
  const input = tk.input({ shape: [6] });
  const features = base.apply(input, { training: false });
  const hidden = tk.layers.dense({ units: 8, activation: 'relu' }).apply(features);
  const output = tk.layers.dense({ units: 3, activation: 'softmax' }).apply(tk.layers.dropout({ rate: 0.2 }).apply(hidden));
  const model = tk.model({ inputs: input, outputs: output });
  model.compile({ optimizer: tk.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function data() {
  tk.setSeed(5);
  const x = tk.randomNormal([96, 6]);
  const y = tk.tensor(Float32Array.from({ length: 96 }, (_, i) => i % 3), [96]);
  return [x, y];
}

async function run(cacheFrozenPrefix, options) {
  const model = build(options);
  const [x, y] = data();
  tk.setSeed(9);
  const history = await model.fit(x, y, { epochs: 4, batchSize: 16, validationSplit: 0.25, seed: 3, cacheFrozenPrefix });
  return { history, weights: model.getWeights().map((w) => Array.from(w.dataSync())) };
}

test('cached and uncached training give identical histories and weights', async () => {
  const cached = await run(true);
  const plain = await run(false);
  assert.ok(cached.history.params.cachedBoundary, 'no boundary was cached');
  assert.equal(plain.history.params.cachedBoundary, null);
  assert.deepEqual(cached.history.history, plain.history.history);
  assert.deepEqual(cached.weights, plain.weights);
});

test('random layers below the cut are never cached', async () => {
  const model = build({ dropoutInBase: true });
  assert.equal(model._tk.core.cacheableBoundary(model.handle), '');
  const cached = await run(true, { dropoutInBase: true });
  assert.equal(cached.history.params.cachedBoundary, null);
});
