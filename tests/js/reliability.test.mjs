// Running out of memory is an error, not an abort; repeated training leaks nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTanuki } from './helpers.mjs';

const tk = await loadTanuki();

async function trainsAfterwards() {
  const model = tk.sequential({ layers: [tk.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })] });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const h = await model.fit(tk.randomNormal([8, 3]), tk.tensor([0, 1, 0, 1, 0, 1, 0, 1], [8]), { epochs: 2 });
  assert.equal(h.history.loss.length, 2);
  model.dispose();
}

test('a request beyond the 4 GiB WebAssembly memory is an OutOfMemoryError and the instance keeps working', async () => {
  const huge = tk.layers.dense({ units: 2 ** 28 });  // an 8 GiB kernel on 8 inputs
  assert.throws(() => huge.build([null, 8]), (e) => e instanceof tk.errors.OutOfMemoryError && /out of memory/.test(e.message));
  const layer = tk.layers.dense({ units: 4 });
  layer.build([null, 2 ** 20]);  // 16 MiB: fine
  assert.equal(layer.countParams(), 4 * 2 ** 20 + 4);
  layer.dispose();
  await trainsAfterwards();
});

test('200 train/predict/dispose cycles keep memory flat', async () => {
  const cycle = async () => {
    const layers = [tk.layers.dense({ units: 16, activation: 'relu', inputShape: [8] }), tk.layers.dropout({ rate: 0.1 }), tk.layers.dense({ units: 3, activation: 'softmax' })];
    const model = tk.sequential({ layers });
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const x = tk.randomNormal([32, 8]);
    const y = tk.tensor(Float32Array.from({ length: 32 }, (_, i) => i % 3), [32]);
    await model.fit(x, y, { epochs: 2, batchSize: 8 });
    const p = model.predict(x);
    p.dataSync();
    [p, x, y, model, ...layers].forEach((o) => o.dispose());
    model.optimizer.dispose();
    model.loss.dispose();
  };
  for (let i = 0; i < 20; i++) await cycle();
  const before = tk.memory();
  for (let i = 0; i < 200; i++) await cycle();
  const after = tk.memory();
  assert.ok(after.usedBytes - before.usedBytes < 16 * 1024, `heap grew by ${after.usedBytes - before.usedBytes} bytes`);
  assert.equal(after.heapBytes, before.heapBytes);
  assert.equal(after.liveHandles, before.liveHandles);
});
