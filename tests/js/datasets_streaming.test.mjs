// Streamed datasets: decoded per batch, trained on with fit(dataset) with the
// same results as the in-memory tensors, and with bounded memory at 224x224.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadTanuki } from './helpers.mjs';
import { encodePng } from './png_fixtures.mjs';

const tk = await loadTanuki();
const root = mkdtempSync(join(tmpdir(), 'tanuki-streaming-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Class c's images: its own colour plus a per-image gradient, so classes are learnable and images differ. */
function makeFolder(name, perClass, size) {
  const dir = join(root, name);
  perClass.forEach((count, c) => {
    mkdirSync(join(dir, `class_${c}`), { recursive: true });
    for (let i = 0; i < count; i++) {
      const pixels = new Uint8Array(size * size * 3);
      for (let p = 0; p < size * size; p++) {
        pixels.set([(c * 90 + (p % size) * 3) & 255, (i * 17 + c * 40) & 255, ((p / size) * 5 + c * 60) & 255], p * 3);
      }
      writeFileSync(join(dir, `class_${c}`, `img_${String(i).padStart(4, '0')}.png`), encodePng(size, size, pixels));
    }
  });
  return dir;
}

const close = (a, b, what, tolerance = 1e-5) => {
  assert.equal(a.length, b.length, what);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tolerance * (1 + Math.abs(b[i])), `${what}[${i}]: ${v} vs ${b[i]}`));
};

function smallModel({ frozenBase }) {
  tk.setSeed(11);
  const input = tk.input({ shape: [8, 8, 3] });
  const base = tk.sequential({
    layers: [tk.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 3] }), tk.layers.batchNormalization()],
  });
  base.trainable = !frozenBase;
  const features = tk.layers.flatten().apply(base.apply(input, { training: false }));
  const output = tk.layers.dense({ units: 3, activation: 'softmax' }).apply(tk.layers.dense({ units: 6, activation: 'relu' }).apply(features));
  const model = tk.model({ inputs: input, outputs: output });
  model.compile({ optimizer: tk.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

const weightsOf = (model) => model.getWeights().flatMap((w) => Array.from(w.dataSync()));
const dir = makeFolder('small', [9, 7, 8], 12);
const load = (options) => tk.data.imageDatasetFromDirectory(dir, { imageSize: [8, 8], batchSize: 5, scale: 1 / 255, ...options });

describe('a streamed dataset', () => {
  test('streams above maxInMemoryBytes, with the files, labels and pixels of the in-memory one', async () => {
    const memory = await load({ seed: 3 });
    const streamed = await load({ seed: 3, maxInMemoryBytes: 0 });
    assert.equal(memory.inMemory, true);
    assert.equal(streamed.inMemory, false);
    assert.deepEqual(streamed.files, memory.files);
    assert.deepEqual(streamed.labels, memory.labels);
    assert.equal(streamed.count, 24);
    assert.throws(() => streamed.x, { name: 'StateError', message: /toTensors/ });
    // Two epochs, each reshuffled, each covering every image once.
    const epochs = [];
    for (let e = 0; e < 2; e++) {
      const seen = [];
      for await (const { x, y } of streamed) {
        assert.ok(x.shape[0] <= 5);
        assert.deepEqual(x.shape.slice(1), [8, 8, 3]);
        seen.push(...y.dataSync());
        x.dispose();
        y.dispose();
      }
      epochs.push(seen);
    }
    assert.deepEqual([...epochs[0]].sort(), [...memory.labels].sort());
    assert.notDeepEqual(epochs[0], epochs[1]);
    const { x, y } = await streamed.toTensors();
    close(Array.from(x.dataSync()), Array.from(memory.x.dataSync()), 'pixels', 0);
    assert.deepEqual(Array.from(y.dataSync()), Array.from(memory.y.dataSync()));
    assert.equal(streamed.inMemory, true);
    const part = (await load({ seed: 3, maxInMemoryBytes: 0 })).take(4);
    assert.deepEqual(part.files, memory.files.slice(0, 4));
    assert.deepEqual((await load({ seed: 3, maxInMemoryBytes: 0 })).skip(20).files, memory.files.slice(20));
    assert.equal((await part.cache()).inMemory, true);
    await assert.rejects((await load({ seed: 3, maxInMemoryBytes: 0 })).cache({ maxBytes: 100 }), { name: 'ValueError', message: /take\(n\)/ });
    [memory, streamed, part].forEach((d) => d.dispose());
  });

  for (const frozenBase of [false, true]) {
    test(`fit, evaluate and predict on it equal the tensor path (${frozenBase ? 'frozen base: cached features, spilled to a file' : 'no cache'})`, async () => {
      const [train, val] = await load({ seed: 3, validationSplit: 0.25, subset: 'both', maxInMemoryBytes: 0 });
      const [memoryTrain, memoryVal] = await load({ seed: 3, validationSplit: 0.25, subset: 'both' });
      const streamedModel = smallModel({ frozenBase });
      const spills = [];
      const spillFolders = () => readdirSync(tmpdir()).filter((f) => f.startsWith('tanuki-features-')).length;
      const before = spillFolders();
      const streamed = await streamedModel.fit(train, {
        epochs: 3,
        validationData: val,
        featureMemoryBytes: 64 * 4,  // a few rows in memory, the rest in the file
        callbacks: [{ onEpochEnd: () => spills.push(spillFolders()) }],
      });
      const tensorModel = smallModel({ frozenBase });
      const plain = await tensorModel.fit(memoryTrain.x, memoryTrain.y, { epochs: 3, batchSize: 5, seed: 3, validationData: [memoryVal.x, memoryVal.y] });
      assert.equal(Boolean(streamed.params.cachedBoundary), frozenBase);
      assert.equal(Boolean(plain.params.cachedBoundary), frozenBase);
      if (frozenBase) assert.ok(spills.every((n) => n > before), 'features spilled to a temporary file');
      for (const key of Object.keys(plain.history)) close(streamed.history[key], plain.history[key], key);
      close(weightsOf(streamedModel), weightsOf(tensorModel), 'weights');

      const evaluated = await streamedModel.evaluate(val, { report: true });
      const expected = await tensorModel.evaluate(memoryVal.x, memoryVal.y, { batchSize: 5, report: true });
      close([evaluated.loss, evaluated.accuracy], [expected.loss, expected.accuracy], 'evaluate');
      assert.deepEqual(evaluated.report.confusion, expected.report.confusion);
      assert.deepEqual(evaluated.report.classes ?? evaluated.report.perClass.map((c) => c.className), ['class_0', 'class_1', 'class_2']);
      const p = await streamedModel.predict(val);
      const q = tensorModel.predict(memoryVal.x);
      assert.deepEqual(p.shape, [val.count, 3]);
      close(Array.from(p.dataSync()), Array.from(q.dataSync()), 'predict');
      [train, val, memoryTrain, memoryVal, streamedModel, tensorModel, p, q].forEach((o) => o.dispose());
      assert.equal(spillFolders(), before, 'the spill file goes with the dataset');
    });
  }

  test("a second fit() with the same frozen bottom reads no image again; changed weights below it compute anew", async () => {
    const moved = makeFolder('reuse', [5, 5, 5], 8);
    const ds = await tk.data.imageDatasetFromDirectory(moved, { imageSize: [8, 8], batchSize: 4, seed: 1, maxInMemoryBytes: 0 });
    const model = smallModel({ frozenBase: true });
    const first = await model.fit(ds, { epochs: 1 });
    assert.ok(first.params.cachedBoundary);
    rmSync(moved, { recursive: true });
    const second = await model.fit(ds, { epochs: 2 });
    assert.equal(second.epoch.length, 2, 'trained from the kept activations');
    const base = model.layers.find((l) => l.getClassName() === 'Sequential');
    const conv = base.layers[0];
    const [kernel, bias] = conv.getWeights();
    conv.setWeights([kernel, tk.ones(bias.shape)]);
    await assert.rejects(model.fit(ds, { epochs: 1 }), { name: 'FormatError', message: /does not exist/ });
    [ds, model].forEach((o) => o.dispose());
  });

  test('an unreadable image stops streaming naming the file, or is skipped and reported with skipInvalid', async () => {
    const broken = makeFolder('broken', [4, 4], 8);
    writeFileSync(join(broken, 'class_1', 'img_0002.png'), Buffer.from('truncated'));
    const options = { imageSize: [8, 8], batchSize: 3, shuffle: false, maxInMemoryBytes: 0 };
    const strict = await tk.data.imageDatasetFromDirectory(broken, options);
    const model = smallModel({ frozenBase: false });
    await assert.rejects(model.fit(strict, { epochs: 1, cacheFrozenPrefix: false }), { name: 'FormatError', message: /img_0002\.png: not a JPEG or PNG.*skipInvalid/ });
    const lenient = await tk.data.imageDatasetFromDirectory(broken, { ...options, skipInvalid: true });
    assert.equal(lenient.count, 8, 'not known before the file is read');
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const history = await model.fit(lenient, { epochs: 2 });
    assert.equal(history.epoch.length, 2);
    assert.equal(lenient.count, 7);
    assert.equal(lenient.skipped.length, 1, 'reported once, not once per epoch');
    assert.match(lenient.skipped[0].file, /class_1.img_0002\.png$/);
    assert.match(lenient.skipped[0].error, /not a JPEG or PNG/);
    const labels = [];
    for await (const { x, y } of lenient) {
      labels.push(...y.dataSync());
      x.dispose();
      y.dispose();
    }
    assert.deepEqual(labels, [0, 0, 0, 0, 1, 1, 1]);
    model.dispose();
  });
});

describe('bounded memory', () => {
  test("fine-tuning the bundled backbone's top block on 520 images at 224x224 keeps the heap well under their decoded size", async (t) => {
    const count = 520;
    const big = makeFolder('big', [count / 2, count / 2], 224);
    const backbone = await tk.loadBackbone('bundled', { cutLayer: 'out_relu' });
    for (const layer of backbone.model.layers) layer.trainable = /^(block_16_|Conv_1)/.test(layer.name);
    const pooled = tk.layers.globalAveragePooling2d().apply(backbone.model.outputs[0]);
    const model = tk.model({ inputs: backbone.model.inputs, outputs: tk.layers.dense({ units: 2, activation: 'softmax' }).apply(pooled) });
    model.compile({ optimizer: tk.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const options = { imageSize: [224, 224], batchSize: 16, scale: backbone.scale, offset: backbone.offset, seed: 2 };
    const [train, val] = await tk.data.imageDatasetFromDirectory(big, { ...options, validationSplit: 0.1, subset: 'both' });
    assert.equal(train.inMemory, false, 'over the default maxInMemoryBytes: streamed');
    const materialised = train.decodedBytes;
    assert.ok(materialised > 256 * 2 ** 20);
    const start = tk.memory().heapBytes;
    let peak = start;
    const watch = () => (peak = Math.max(peak, tk.memory().heapBytes));
    const history = await model.fit(train, { epochs: 2, validationData: val, callbacks: [{ onBatchEnd: watch, onEpochEnd: watch }] });
    watch();
    assert.equal(history.params.cachedBoundary, 'block_15_add');
    assert.equal(history.epoch.length, 2);
    assert.ok(Number.isFinite(history.history.val_loss[1]));
    t.diagnostic(`heap: ${Math.round(start / 2 ** 20)} MB before fit(), peak ${Math.round(peak / 2 ** 20)} MB; decoded images: ${Math.round(materialised / 2 ** 20)} MB`);
    assert.ok(peak - start < materialised / 3, `the heap grew by ${Math.round((peak - start) / 2 ** 20)} MB; decoded, the images take ${Math.round(materialised / 2 ** 20)} MB`);
    [train, val, model, backbone.model, backbone.full].forEach((o) => o.dispose());
  });
});
