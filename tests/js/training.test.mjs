// fit / evaluate / predict, callbacks and custom training loops.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTanuki } from './helpers.mjs';

const tk = await loadTanuki();

function blobs(n) {
  // Two Gaussian blobs: class 0 around (-1, -1), class 1 around (1, 1).
  const x = [];
  const y = [];
  const noise = tk.randomNormal([n, 2], 0, 0.5).dataSync();
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    x.push([(c ? 1 : -1) + noise[2 * i], (c ? 1 : -1) + noise[2 * i + 1]]);
    y.push([c]);
  }
  return [tk.tensor(x), tk.tensor(y)];
}

test('fit with validation learns a separable problem and reports Keras-style logs', async () => {
  tk.setSeed(3);
  const [x, y] = blobs(200);
  const model = tk.sequential({ layers: [tk.layers.dense({ units: 4, activation: 'relu', inputShape: [2] }), tk.layers.dense({ units: 1, activation: 'sigmoid' })] });
  model.compile({ optimizer: tk.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const batches = [];
  const history = await model.fit(x, y, {
    epochs: 10,
    batchSize: 32,
    validationSplit: 0.2,
    callbacks: { onBatchEnd: (batch, logs) => batches.push(logs.loss) },
  });
  assert.deepEqual(Object.keys(history.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  assert.equal(history.history.loss.length, 10);
  assert.equal(batches.length, 10 * Math.ceil(160 / 32));
  assert.ok(history.history.val_accuracy[9] >= 0.9, `val accuracy ${history.history.val_accuracy[9]}`);
  const result = await model.evaluate(x, y);
  assert.ok(result.accuracy >= 0.9 && result.loss < 0.4);
  const p = model.predict(x).dataSync();
  assert.equal(p.length, 200);
});

test('fit is reproducible under a seed', async () => {
  const run = async () => {
    tk.setSeed(11);
    const [x, y] = blobs(64);
    const model = tk.sequential({ layers: [tk.layers.dense({ units: 3, activation: 'tanh', inputShape: [2] }), tk.layers.dense({ units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    const h = await model.fit(x, y, { epochs: 3, batchSize: 8 });
    return h.history.loss;
  };
  assert.deepEqual(await run(), await run());
});

test('EarlyStopping stops and restores the best weights; stopTraining and AbortSignal stop too', async () => {
  tk.setSeed(5);
  const [x, y] = blobs(64);
  const model = tk.sequential({ layers: [tk.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })] });
  model.compile({ optimizer: tk.train.sgd(0), loss: 'binaryCrossentropy' });  // lr 0: never improves
  const es = tk.callbacks.earlyStopping({ monitor: 'loss', patience: 2, restoreBestWeights: true });
  const h = await model.fit(x, y, { epochs: 50, callbacks: [es] });
  assert.equal(h.epoch.length, 3);

  const controller = new AbortController();
  const h2 = await model.fit(x, y, {
    epochs: 50,
    signal: controller.signal,
    callbacks: { onEpochEnd: (epoch) => epoch === 1 && controller.abort() },
  });
  assert.equal(h2.epoch.length, 2);
  assert.equal(h2.aborted, true);

  const h3 = await model.fit(x, y, { epochs: 50, callbacks: { onEpochEnd: (epoch) => { if (epoch === 3) model.stopTraining = true; } } });
  assert.equal(h3.epoch.length, 4);
});

test('a custom training loop with computeGradients and applyGradients', () => {
  tk.setSeed(9);
  const [x, y] = blobs(64);
  const model = tk.sequential({ layers: [tk.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })] });
  const optimizer = tk.optimizers.sgd({ learningRate: 0.5 });
  let first;
  let last;
  for (let step = 0; step < 30; step++) {
    const { loss, grads } = model.computeGradients(x, y, { loss: 'binaryCrossentropy' });
    assert.equal(grads.length, 2);
    optimizer.applyGradients(grads);
    grads.forEach(({ variable, gradient }) => { variable.dispose(); gradient.dispose(); });
    first ??= loss;
    last = loss;
  }
  assert.ok(last < first * 0.5, `loss ${first} -> ${last}`);
  assert.equal(optimizer.iterations, 30);
});

test('applyGradients with a variable twice is a ValueError naming it, and changes nothing', () => {
  const model = tk.sequential({ layers: [tk.layers.dense({ units: 1, inputShape: [2], name: 'twice' })] });
  const optimizer = tk.optimizers.sgd({ learningRate: 0.5 });
  const [kernel] = model.trainableWeights;
  const before = kernel.read().dataSync().slice();
  const gradient = tk.ones(kernel.shape);
  assert.throws(() => optimizer.applyGradients([[kernel, gradient], [kernel, gradient]]),
    (e) => e instanceof tk.errors.ValueError && /'twice\/kernel[^']*' has more than one gradient/.test(e.message));
  assert.deepEqual(kernel.read().dataSync(), before);
  assert.equal(optimizer.iterations, 0);
  gradient.dispose();
});

test('a diverging loss stops training with a clear error and restores weights', async () => {
  const model = tk.sequential({ layers: [tk.layers.dense({ units: 1, inputShape: [1] })] });
  model.compile({ optimizer: tk.train.sgd(1e30), loss: 'meanSquaredError' });
  const x = tk.tensor([[1e10], [2e10]]);
  const y = tk.tensor([[1], [2]]);
  await assert.rejects(model.fit(x, y, { epochs: 5 }), (e) => e instanceof tk.errors.TrainingDivergedError && /not applied/.test(e.message));
  assert.ok(model.getWeights().every((w) => w.dataSync().every(Number.isFinite)));
});

test('classWeight weighs the loss per class; evaluate({report}) gives per-class precision, recall and the confusion matrix', async () => {
  tk.setSeed(13);
  const [x, y] = blobs(60);
  const model = tk.sequential({ layers: [tk.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })] });
  model.compile({ optimizer: tk.train.sgd(0), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const yi = tk.tensor(y.dataSync(), [60]);
  const plain = await model.fit(x, yi, { epochs: 1, batchSize: 60, shuffle: false });
  const loss = async (classWeight) => (await model.fit(x, yi, { epochs: 1, batchSize: 60, shuffle: false, classWeight })).history.loss[0];
  // The learning rate is 0, so every fit sees the same per-sample losses.
  const onlyClass0 = await loss({ 0: 1, 1: 0 });
  const onlyClass1 = await loss({ 0: 0, 1: 1 });
  assert.ok(Math.abs(onlyClass0 + onlyClass1 - plain.history.loss[0]) < 1e-5);
  assert.ok(Math.abs((await loss({ 0: 3, 1: 0 })) - 3 * onlyClass0) < 1e-5);

  const result = await model.evaluate(x, yi, { report: true, classNames: ['low', 'high'] });
  assert.deepEqual(result.report.classes, ['low', 'high']);
  assert.equal(result.report.confusion.flat().reduce((a, b) => a + b, 0), 60);
  assert.ok(Math.abs(result.report.accuracy - result.accuracy) < 1e-9);
  assert.equal(result.report.perClass.length, 2);
});

test('gather picks rows of axis 0 in any order, repeats included, and names a bad index', () => {
  const x = tk.tensor(Float32Array.from({ length: 24 }, (_, i) => i), [4, 3, 2]);
  const picked = x.gather([3, 0, 3]);
  assert.deepEqual(picked.shape, [3, 3, 2]);
  const rows = [3, 0, 3].flatMap((r) => Array.from({ length: 6 }, (_, j) => 6 * r + j));
  assert.deepEqual(Array.from(picked.dataSync()), rows);
  // One value per row (labels) and an empty pick.
  const labels = tk.tensor([5, 6, 7, 8], [4]);
  assert.deepEqual(Array.from(labels.gather(Int32Array.from([2, 2, 1])).dataSync()), [7, 7, 6]);
  assert.deepEqual(labels.gather([]).shape, [0]);
  assert.throws(() => x.gather([4]), (e) => e instanceof tk.errors.ValueError && /row index 4 is out of range for 4 rows/.test(e.message));
  assert.throws(() => x.gather([-1]), /row index -1 is out of range/);
  assert.throws(() => x.gather([1.5]), /row index 1.5 is out of range/);
  const scalar = tk.tensor([1], []);
  assert.throws(() => scalar.gather([0]), /gather needs a tensor of rank >= 1/);
  [x, picked, labels, scalar].forEach((t) => t.dispose());
});
