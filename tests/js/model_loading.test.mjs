// Loading and saving the TF.js layers format: round trips, the bundled
// backbone's Keras semantics, and specific errors for broken files.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTanuki } from './helpers.mjs';

const tk = await loadTanuki();
const { FormatError } = tk.errors;

function smallModel() {
  return tk.sequential({
    layers: [tk.layers.dense({ units: 4, activation: 'relu', inputShape: [3], name: 'hidden' }), tk.layers.batchNormalization({ name: 'bn' }), tk.layers.dense({ units: 2, activation: 'softmax', name: 'out' })],
  });
}

async function trainsAfterwards() {
  const model = smallModel();
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const h = await model.fit(tk.randomNormal([16, 3]), tk.tensor(Float32Array.from({ length: 16 }, (_, i) => i % 2), [16]), { epochs: 2 });
  assert.equal(h.history.loss.length, 2);
}

test('save to a directory and load back bit-identically, atomically', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'tanuki-')), 'model');
  const model = smallModel();
  await model.save(dir);
  await model.save(dir);  // overwriting works
  assert.deepEqual((await readdir(dir)).sort(), ['model.json', 'weights.bin']);
  assert.deepEqual((await readdir(join(dir, '..'))).sort(), ['model']);  // no temporary folder left
  const back = await tk.loadLayersModel(dir);
  assert.deepEqual(back.layers.map((l) => l.name), ['hidden', 'bn', 'out']);
  model.getWeights().forEach((w, i) => assert.deepEqual(back.getWeights()[i].dataSync(), w.dataSync()));
  const x = tk.randomNormal([5, 3]);
  assert.deepEqual(back.predict(x).dataSync(), model.predict(x).dataSync());
});

test('bundled MobileNetV2 without top: Keras parameter counts and trainable semantics', async () => {
  const { full } = await tk.loadBackbone('bundled');
  const base = tk.model({ inputs: full.inputs, outputs: full.layerOutput('out_relu') });
  base.trainable = true;
  assert.equal(base.countParams(), 2257984);
  const nonTrainable = base.nonTrainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  assert.equal(nonTrainable, 34112);
  const text = base.summary(100, undefined, () => {});
  assert.match(text, /Total params: 2257984/);
  assert.match(text, /Non-trainable params: 34112/);

  // base.trainable = false freezes the nested base inside a new model.
  const input = tk.input({ shape: [224, 224, 3] });
  const pooled = tk.layers.globalAveragePooling2d({}).apply(base.apply(input, { training: false }));
  const model = tk.model({ inputs: input, outputs: tk.layers.dense({ units: 2 }).apply(pooled) });
  base.trainable = false;
  assert.equal(model.trainableWeights.length, 2);
  assert.ok(base.layers.every((l) => !l.trainable));
  base.trainable = true;
  assert.equal(model.trainableWeights.length, 2 + base.trainableWeights.length);
});

test('localMaxPool: the bundled cut max-pools each depth over 3x3, 1 turns it off, a single cut keeps its 4-D shape, bad windows are named', async () => {
  const classesOf = (model) => {
    const layers = model.layers;
    const names = layers.map((l) => l.getClassName());
    layers.forEach((l) => l.dispose());
    return names;
  };
  const count = (names, name) => names.filter((n) => n === name).length;
  const byDefault = await tk.loadBackbone('bundled');
  assert.equal(count(classesOf(byDefault.model), 'MaxPooling2D'), 3);
  const plain = await tk.loadBackbone(byDefault.full, { cutLayer: byDefault.cutLayer });
  assert.equal(plain.localMaxPool, 1, 'other models: no local max-pooling unless asked');
  assert.equal(count(classesOf(plain.model), 'MaxPooling2D'), 0);
  assert.deepEqual(plain.featureShape, byDefault.featureShape);

  // One cut layer: the activation stays 4-D (the classifier averages it), each value its 3x3 neighbourhood's maximum.
  const single = await tk.loadBackbone(byDefault.full, { cutLayer: 'out_relu', localMaxPool: 3 });
  const raw = await tk.loadBackbone(byDefault.full, { cutLayer: 'out_relu' });
  assert.deepEqual(single.featureShape, [7, 7, 1280]);
  tk.setSeed(3);
  const x = tk.randomUniform([1, 224, 224, 3], 0, 1);
  const [a, r] = [single.model.predict(x).dataSync(), raw.model.predict(x).dataSync()];
  const at = (v, y, xx, c) => v[(y * 7 + xx) * 1280 + c];
  for (const [y, xx, c] of [[0, 0, 5], [3, 4, 700], [6, 6, 1279]]) {
    let m = -Infinity;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (y + dy >= 0 && y + dy < 7 && xx + dx >= 0 && xx + dx < 7) m = Math.max(m, at(r, y + dy, xx + dx, c));
    assert.equal(at(a, y, xx, c), m);
  }
  for (const bad of [0, 2.5, -3, 'big']) {
    await assert.rejects(tk.loadBackbone(byDefault.full, { localMaxPool: bad }), (e) => e instanceof tk.errors.ValueError && e.message.includes('localMaxPool'));
  }
  x.dispose();
  [single, raw, plain].forEach((b) => b.model.dispose());
  byDefault.model.dispose();
  byDefault.full.dispose();
});

test('a base called with training: false keeps BatchNormalization in inference mode after unfreezing', async () => {
  const { full } = await tk.loadBackbone('bundled');
  const base = tk.model({ inputs: full.inputs, outputs: full.layerOutput('block_1_project_BN') });
  base.trainable = true;
  const input = tk.input({ shape: [224, 224, 3] });
  const pooled = tk.layers.globalAveragePooling2d({}).apply(base.apply(input, { training: false }));
  const model = tk.model({ inputs: input, outputs: tk.layers.dense({ units: 1 }).apply(pooled) });
  const bn = base.getLayer('bn_Conv1');
  const before = bn.getWeights()[2].dataSync();
  model.compile({ optimizer: tk.train.adam(1e-5), loss: 'meanSquaredError' });
  await model.fit(tk.randomUniform([2, 224, 224, 3]), tk.zeros([2, 1]), { epochs: 1 });
  assert.deepEqual(bn.getWeights()[2].dataSync(), before);  // moving mean untouched
});

// --- broken files ------------------------------------------------------------

function artifacts() {
  const a = smallModel().toArtifacts();
  return { modelJson: a.modelJson, weightData: a.weightData };
}

async function rejects(source, pattern) {
  await assert.rejects(tk.loadLayersModel(source), (e) => {
    assert.ok(e instanceof FormatError || e instanceof tk.errors.ValueError, `${e.name}: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
  await trainsAfterwards();
}

test('model.json that is not JSON, or lacks its fields', async () => {
  await rejects({ modelJson: '{"modelTopology": ', weightData: new Uint8Array(0) }, /not valid JSON/);
  await rejects({ modelJson: '[]', weightData: new Uint8Array(0) }, /must be a JSON object/);
  await rejects({ modelJson: { weightsManifest: [] }, weightData: new Uint8Array(0) }, /no 'modelTopology'/);
  await rejects({ modelJson: { modelTopology: {} }, weightData: new Uint8Array(0) }, /no 'weightsManifest'/);
});

test('unknown layer class names the class and the layer', async () => {
  const a = artifacts();
  a.modelJson.modelTopology.config.layers[1].class_name = 'FancyNorm';
  await rejects(a, /layer '.*': unknown layer class 'FancyNorm'/);
});

test('a graph with a cycle', async () => {
  const json = JSON.parse(await readFile('tests/fuzz/corpus/model_json/functional.json', 'utf8'));
  const layers = json.modelTopology.model_config.config.layers;
  layers.find((l) => l.name === 'c').inbound_nodes = [[['a', 0, 0, {}]]];
  json.weightsManifest = [];
  await rejects({ modelJson: json, weightData: new Uint8Array(0) }, /cycle|can never be computed/);
});

test('byte counts that do not match the shards, truncated or oversized', async () => {
  const a = artifacts();
  await rejects({ ...a, weightData: a.weightData.slice(0, a.weightData.length - 4) }, /describes \d+ bytes but the weight files hold \d+ bytes \(a shard is missing or truncated\)/);
  const bigger = new Uint8Array(a.weightData.length + 8);
  bigger.set(a.weightData);
  await rejects({ ...a, weightData: bigger }, /describes \d+ bytes but the weight files hold/);
});

test('a missing shard file', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'tanuki-')), 'model');
  await smallModel().save(dir);
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  json.weightsManifest[0].paths = ['nowhere.bin'];
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
  await rejects(dir, /weights file 'nowhere.bin' is missing/);
});

test('wrong shapes, NaN weights, absurd dimensions, unsupported dtypes', async () => {
  let a = artifacts();
  a.modelJson.weightsManifest[0].weights[0].shape = [4, 3];  // same size, wrong shape
  await rejects(a, /has shape \[4, 3\] but the model's 'hidden\/kernel' needs \[3, 4\]/);

  a = artifacts();
  new Float32Array(a.weightData.buffer, a.weightData.byteOffset, 1)[0] = NaN;
  await rejects(a, /NaN or infinite/);

  a = artifacts();
  a.modelJson.weightsManifest[0].weights[0].shape = [4294967296, 4294967296, 1024];
  await rejects(a, /invalid shape|absurd shape/);

  a = artifacts();
  a.modelJson.weightsManifest[0].weights[0].dtype = 'complex64';
  await rejects(a, /unsupported dtype 'complex64'/);

  a = artifacts();
  a.modelJson.modelTopology.config.layers[0].config.units = 1e12;
  await rejects(a, /units|too large|shape/);
});

test('quantized weights (uint8, uint16, float16) decode as TF.js defines them', async () => {
  const model = tk.sequential({ layers: [tk.layers.dense({ units: 2, useBias: false, inputShape: [2], name: 'q' })] });
  const { modelJson } = model.toArtifacts();
  const spec = modelJson.weightsManifest[0].weights[0];
  const cases = [
    [{ dtype: 'uint8', min: -1, scale: 0.5 }, new Uint8Array([0, 1, 2, 4]), [-1, -0.5, 0, 1]],
    [{ dtype: 'uint16', min: 0, scale: 0.25 }, new Uint8Array(new Uint16Array([0, 4, 8, 400]).buffer), [0, 1, 2, 100]],
    [{ dtype: 'float16' }, new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3800, 0x0000]).buffer), [1, -2, 0.5, 0]],
  ];
  for (const [quantization, bytes, expected] of cases) {
    spec.quantization = quantization;
    const loaded = await tk.loadLayersModel({ modelJson, weightData: bytes });
    assert.deepEqual(Array.from(loaded.getWeights()[0].dataSync()), expected);
  }
});
