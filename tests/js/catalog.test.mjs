// The backbone catalog: downloads from the public hosts are served from local
// copies by intercepting the real requests (global fetch), so the real
// loading, verification and caching code runs and nothing leaves the machine.
// The ImageNet MobileNetV1 0.25 comes from ../shared/models (tests that need
// it skip when it is absent); the cache and failure cases also run on a
// small generated model served at a catalog URL.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTanuki } from './helpers.mjs';

// Before the first download: the cache lives in a folder of this test's own.
process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), 'tanuki-cache-'));

const tk = await loadTanuki();
const { FormatError, ValueError } = tk.errors;
const shared = new URL('../../../shared/models/mobilenet_v1_0.25_224/', import.meta.url);
const haveShared = existsSync(shared);
const entry = (id) => tk.backboneCatalog.find((e) => e.id === id);

// URL -> bytes, or a function (url) -> Response; every request is recorded.
const served = new Map();
const requests = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (url) => {
  const href = String(url);
  requests.push(href);
  const body = served.get(href);
  if (body === undefined) throw new TypeError(`fetch failed (no network in this test: ${href})`);
  if (typeof body === 'function') return body(href);
  return new Response(body, { status: 200, headers: { 'content-length': String(body.length) } });
};
process.on('exit', () => (globalThis.fetch = realFetch));

function serveFolder(modelJsonUrl, folder) {
  for (const file of readdirSync(folder)) {
    if (file === 'imagenet') continue;
    served.set(new URL(file, modelJsonUrl).href, new Uint8Array(readFileSync(new URL(file, folder))));
  }
}

// A small model with the catalog's cut layer name, served in place of MobileNetV1 1.0.
async function serveSmallModel(url) {
  const input = tk.input({ shape: [16, 16, 3] });
  const conv = tk.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, name: 'conv1' }).apply(input);
  const cut = tk.layers.reLU({ name: 'conv_pw_13_relu' }).apply(conv);
  const out = tk.layers.dense({ units: 2 }).apply(tk.layers.globalAveragePooling2d({}).apply(cut));
  const model = tk.model({ inputs: input, outputs: out });
  let artifacts;
  await model.save((a) => (artifacts = a));
  artifacts.modelJson.weightsManifest[0].paths = ['group1-shard1of1'];
  served.set(url, new TextEncoder().encode(JSON.stringify(artifacts.modelJson)));
  served.set(new URL('group1-shard1of1', url).href, artifacts.weightData);
  return model;
}

test('the catalog lists each backbone with its download size, input scaling and host', () => {
  const ids = tk.backboneCatalog.map((e) => e.id);
  for (const id of ['bundled', 'mobilenet_v2_0.35', 'mobilenet_v2_0.50', 'mobilenet_v2_0.75', 'mobilenet_v2_1.00', 'mobilenet_v1_0.25', 'mobilenet_v1_0.50', 'mobilenet_v1_0.75', 'mobilenet_v1_1.0']) {
    assert.ok(ids.includes(id), id);
  }
  for (const e of tk.backboneCatalog.filter((e) => e.id !== 'bundled')) {
    assert.match(e.url, /^https:\/\/storage\.googleapis\.com\/.*\/model\.json$/);
    assert.ok(e.downloadBytes > 1e6, e.id);
    assert.equal(e.scale, 1 / 127.5);
    assert.equal(e.offset, -1);
    assert.ok(e.host.length > 0);
  }
  assert.equal(entry('mobilenet_v2_0.35').cutLayer, 'out_relu');
  assert.equal(entry('mobilenet_v1_0.25').cutLayer, 'conv_pw_13_relu');
});

test('an unknown catalog name is a ValueError listing the catalog', async () => {
  await assert.rejects(tk.loadBackbone('mobilenet_v2_0.42'), (e) => e instanceof ValueError && /mobilenet_v2_0\.35/.test(e.message));
  await assert.rejects(tk.applications.mobileNetV2({ alpha: 0.42 }), (e) => e instanceof ValueError && /0\.35/.test(e.message));
});

test('a catalog backbone downloads once, is verified, cached, and loads offline the second time', { skip: !haveShared && 'no ../shared/models/mobilenet_v1_0.25_224' }, async () => {
  const { url } = entry('mobilenet_v1_0.25');
  serveFolder(url, shared);
  requests.length = 0;
  const progress = [];
  const first = await tk.loadBackbone('mobilenet_v1_0.25', { onProgress: (f) => progress.push(f) });
  assert.ok(requests.length > 10, 'model.json and its shards were fetched');
  assert.equal(progress.at(-1), 1);
  assert.equal(first.cutLayer, 'conv_pw_13_relu');
  assert.deepEqual(first.featureShape, [7, 7, 256]);
  assert.equal(first.source, url);
  assert.equal(first.scale, 1 / 127.5);
  // Offline now: nothing is served, every file comes from the cache.
  served.clear();
  requests.length = 0;
  const second = await tk.loadBackbone('mobilenet_v1_0.25');
  assert.equal(requests.length, 0);
  const x = tk.randomUniform([1, 224, 224, 3], -1, 1);
  assert.deepEqual(second.model.predict(x).dataSync(), first.model.predict(x).dataSync());
});

test('keras.applications: MobileNet without top rebuilt at 160x160 with the same weights', { skip: !haveShared && 'no ../shared/models/mobilenet_v1_0.25_224' }, async () => {
  serveFolder(entry('mobilenet_v1_0.25').url, shared);
  const base = await tk.applications.mobileNet({ alpha: 0.25, includeTop: false, inputShape: [160, 160, 3] });
  assert.deepEqual(base.inputs[0].shape, [null, 160, 160, 3]);
  assert.deepEqual(base.outputs[0].shape, [null, 5, 5, 256]);
  const full = await tk.applications.mobileNet({ alpha: 0.25 });
  assert.deepEqual(full.outputs[0].shape, [null, 1000]);
  const conv1 = (m) => m.getLayer('conv1').getWeights()[0].dataSync();
  assert.deepEqual(conv1(base), conv1(full));
  const pooled = await tk.applications.mobileNet({ alpha: 0.25, includeTop: false, pooling: 'avg' });
  assert.deepEqual(pooled.outputs[0].shape, [null, 256]);
  await assert.rejects(tk.applications.mobileNetV2({ alpha: 0.35, includeTop: true }), ValueError);
});

test('a failed download is a FormatError naming the URL, and nothing is cached', async () => {
  const { url } = entry('mobilenet_v1_1.0');
  await serveSmallModel(url);
  const shard = new URL('group1-shard1of1', url).href;
  const good = served.get(shard);
  served.set(shard, () => new Response('not found', { status: 404 }));
  await assert.rejects(tk.loadBackbone('mobilenet_v1_1.0'), (e) => e instanceof FormatError && e.message.includes(shard) && /404/.test(e.message));
  // Cut short: fewer bytes than the manifest describes.
  served.set(shard, good.slice(0, good.length - 8));
  await assert.rejects(tk.loadBackbone('mobilenet_v1_1.0'), (e) => e instanceof FormatError && e.message.includes(url) && /truncated/.test(e.message));
  // Not finite: a NaN inside the weights.
  const poisoned = good.slice();
  new DataView(poisoned.buffer).setFloat32(0, NaN, true);
  served.set(shard, poisoned);
  await assert.rejects(tk.loadBackbone('mobilenet_v1_1.0'), (e) => e instanceof FormatError && /NaN/.test(e.message));
  // None of these was kept: the next load fetches again, and succeeds.
  served.set(shard, good);
  requests.length = 0;
  const backbone = await tk.loadBackbone('mobilenet_v1_1.0');
  assert.ok(requests.includes(shard));
  assert.equal(backbone.cutLayer, 'conv_pw_13_relu');
  served.clear();
  requests.length = 0;
  await tk.loadBackbone('mobilenet_v1_1.0');
  assert.equal(requests.length, 0, 'the verified download is served from the cache');
});

test('Keras code ports: Sequential([Input, ...]), loss and metric objects', async () => {
  // model = keras.Sequential([keras.Input(shape=(3,)), layer1, layer2])
  const layer1 = tk.layers.dense({ units: 3, activation: 'relu' });
  const layer2 = tk.layers.dense({ units: 3, activation: 'sigmoid' });
  const model = tk.sequential({ layers: [tk.input({ shape: [3] }), layer1, layer2] });
  assert.deepEqual(model.inputs[0].shape, [null, 3]);
  assert.equal(model.layers.length, 2);
  layer1.trainable = false;
  const before = layer1.getWeights().map((w) => w.dataSync());
  model.compile({ optimizer: 'adam', loss: 'mse' });
  await model.fit(tk.randomUniform([2, 3]), tk.randomUniform([2, 3]), { epochs: 1 });
  layer1.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), before[i]));
  // loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=[keras.metrics.BinaryAccuracy()]
  const logits = tk.sequential({ layers: [tk.input({ shape: [2] }), tk.layers.dense({ units: 1 })] });
  logits.compile({ optimizer: tk.optimizers.adam({ learningRate: 1e-2 }), loss: tk.losses.binaryCrossentropy({ fromLogits: true }), metrics: [tk.metrics.binaryAccuracy()] });
  const history = await logits.fit(tk.tensor([0, 1, 1, 0, 2, 2, -1, -1], [4, 2]), tk.tensor([1, 0, 1, 0], [4, 1]), { epochs: 2 });
  assert.equal(history.history.binary_accuracy.length, 2);
  assert.throws(() => tk.sequential({ layers: [layer2, tk.input({ shape: [3] })] }), ValueError);
});
