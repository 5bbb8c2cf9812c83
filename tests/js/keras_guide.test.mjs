// examples/keras_guide.mjs, Keras's transfer-learning guide ported statement
// by statement, run as a user runs it (node, from the project folder), on the
// cats vs dogs photos of ../shared/data when present and on generated images
// otherwise. The backbone is the ImageNet MobileNetV1 0.25 of the catalog,
// its download served from ../shared/models by intercepting the script's
// requests (serve_downloads.mjs), or the bundled network where that copy is
// absent: nothing leaves the machine either way.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { loadTanuki } from './helpers.mjs';
import { encodePng } from './png_fixtures.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PHOTOS = join(root, '../shared/data/cats_vs_dogs');
const IMAGENET_MODEL = join(root, '../shared/models/mobilenet_v1_0.25_224');
const havePhotos = existsSync(join(PHOTOS, 'train')) && existsSync(join(PHOTOS, 'val'));
const haveModel = existsSync(join(IMAGENET_MODEL, 'model.json'));
const SERVE = fileURLToPath(new URL('./serve_downloads.mjs', import.meta.url));

// Stripes, horizontal ('cat') or vertical ('dog'), in random colours: two classes a frozen backbone tells apart.
function stripes(vertical, seed) {
  const size = 64;
  const pixels = new Uint8Array(size * size * 3);
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const a = [random() * 255, random() * 255, random() * 255];
  const b = a.map((v) => 255 - v);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) pixels.set(Math.floor((vertical ? x : y) / 8) % 2 ? b : a, (y * size + x) * 3);
  }
  return encodePng(size, size, pixels);
}

function generatedImages(dir) {
  const counts = { train: 24, val: 8 };
  for (const [split, count] of Object.entries(counts)) {
    for (const [name, vertical] of [['cat', false], ['dog', true]]) {
      mkdirSync(join(dir, split, name), { recursive: true });
      for (let i = 0; i < count; i++) writeFileSync(join(dir, split, name, `${name}.${i}.png`), stripes(vertical, 1000 * vertical + 100 * (split === 'val') + i));
    }
  }
  return dir;
}

let work;
let run;
before(async () => {
  const { url } = (await loadTanuki()).backboneCatalog.find((e) => e.id === 'mobilenet_v1_0.25');
  work = mkdtempSync(join(tmpdir(), 'tanuki-keras-guide-'));
  const data = havePhotos ? PHOTOS : generatedImages(join(work, 'images'));
  // Batches of 8: enough steps for the head to learn from a few hundred photos.
  const args = [data, '--batch-size', '8', '--save', join(work, 'model')];
  if (havePhotos) args.push('--limit', '480');
  args.push('--backbone', haveModel ? 'mobilenet_v1_0.25' : 'bundled');
  const env = {
    ...process.env,
    XDG_CACHE_HOME: join(work, 'cache'),
    TANUKI_TEST_DOWNLOADS: JSON.stringify(haveModel ? { [url]: IMAGENET_MODEL } : {}),
    TANUKI_TEST_REQUESTS: join(work, 'requests.txt'),
  };
  const result = spawnSync(process.execPath, ['--import', SERVE, join('examples', 'keras_guide.mjs'), ...args], { cwd: root, env, encoding: 'utf8', timeout: 600_000 });
  if (result.error) throw result.error;
  assert.equal(result.status, 0, `keras_guide.mjs failed:\n${result.stderr}`);
  run = { out: result.stdout, requests: existsSync(env.TANUKI_TEST_REQUESTS) ? readFileSync(env.TANUKI_TEST_REQUESTS, 'utf8').split('\n').filter(Boolean) : [] };
  if (!havePhotos) console.log(`# keras_guide on generated images: no photos at ${PHOTOS}`);
  if (!haveModel) console.log(`# keras_guide with the bundled backbone: no ImageNet MobileNetV1 at ${IMAGENET_MODEL}`);
});
after(() => rmSync(work, { recursive: true, force: true }));

/** The epoch logs fit(verbose: 1) printed, in order: [{epoch, of, loss, binary_accuracy, val_loss, ...}]. */
function epochs(out) {
  return [...out.matchAll(/^Epoch (\d+)\/(\d+) - [\d.]+s - (.*)$/gm)].map(([, epoch, of, logs]) => ({
    epoch: Number(epoch),
    of: Number(of),
    ...Object.fromEntries(logs.split(' - ').map((part) => part.split(': ')).map(([k, v]) => [k, Number(v)])),
  }));
}

test('the trainable section prints the guide\'s weight counts, and a frozen layer stays unchanged', () => {
  const { out } = run;
  assert.match(out, /# Dense has 2 trainable weights[^\n]*\nweights: 2 trainable_weights: 2 non_trainable_weights: 0/);
  assert.match(out, /# BatchNormalization[^\n]*\nweights: 4 trainable_weights: 2 non_trainable_weights: 2/);
  assert.match(out, /# Setting trainable to false[^\n]*\nweights: 2 trainable_weights: 0 non_trainable_weights: 2/);
  assert.match(out, /layer1 weights unchanged: true\nlayer2 weights changed: true/);
  assert.match(out, /outer trainable_weights: 0\ninner model trainable: false\ninner first layer trainable: false\nafter unfreezing, outer trainable_weights: 6/);
});

test('the datasets: a seeded split of train/, val/ as the test set, resized to 160x160', () => {
  const { out } = run;
  const count = (what) => Number(out.match(new RegExp(`Number of ${what} samples: (\\d+)`))[1]);
  if (havePhotos) {
    assert.equal(count('training'), 480);
    assert.equal(count('validation'), 120);
    assert.equal(count('test'), 120);
  } else {
    // 48 images, the last 20 % for validation; val/ holds 16.
    assert.equal(count('training'), 39);
    assert.equal(count('validation'), 9);
    assert.equal(count('test'), 16);
  }
  assert.match(out, /first 9 images: \[160,160,3\] each, labels ([01] ){8}[01]\n/);
  const distances = out.match(/9 augmented views of the first image differ from it by (.*)/)[1].split(', ').map(Number);
  assert.equal(distances.length, 9);
  assert.ok(distances.some((d) => d > 1), `augmentation changes the image: ${distances}`);
});

test('base.trainable toggles the model\'s trainable weights; summary(showTrainable) shows it per layer', () => {
  const { out } = run;
  assert.match(out, /^model trainable_weights: 2 \(base frozen\)$/m);
  const [, total, base] = out.match(/^model trainable_weights: (\d+) \(base unfrozen; the base has (\d+)\)$/m).map(Number);
  assert.ok(base > 2, `the base has ${base} trainable weights`);
  assert.equal(total, base + 2, 'the base and the Dense head (kernel and bias)');
  // Two summaries, each with a Trainable column: the base N then Y, the head Y.
  const rows = [...out.matchAll(/^(mobileNet\S*_no_top\S*) \(Func.*\s([YN])$/gm)].map((m) => m[2]);
  assert.deepEqual(rows, ['N', 'Y']);
  assert.equal([...out.matchAll(/^dense\S* \(Dense\)\s.*\sY$/gm)].length, 2);
  assert.equal([...out.matchAll(/^Layer \(type\)\s.*Trainable$/gm)].length, 2);
});

test('two epochs of the head, then one of the whole model: losses finite and falling', () => {
  const logs = epochs(run.out);
  assert.deepEqual(logs.map((l) => `${l.epoch}/${l.of}`), ['1/2', '2/2', '1/1']);
  for (const l of logs) {
    for (const key of ['loss', 'binary_accuracy', 'val_loss', 'val_binary_accuracy']) assert.ok(Number.isFinite(l[key]), `${key} in ${JSON.stringify(l)}`);
  }
  assert.ok(logs[1].loss < logs[0].loss, `head loss ${logs[0].loss} then ${logs[1].loss}`);
  assert.match(run.out, /Fitting the top layer of the model\nEpoch 1\/2/);
  assert.match(run.out, /Fitting the end-to-end model\nEpoch 1\/1/);
});

test('the test set: evaluate() and predict() of the trained model, above chance on the photos', (t) => {
  const { out } = run;
  const [, loss, accuracy] = out.match(/Test dataset evaluation\nloss: ([\d.]+) - binary_accuracy: ([\d.]+)/).map(Number);
  assert.ok(Number.isFinite(loss) && loss > 0, `test loss ${loss}`);
  const predicted = Number(out.match(/test accuracy from predict\(\): ([\d.]+) %/)[1]);
  if (!havePhotos) return t.skip('accuracy is measured on the real photos only');
  // Chance is 50 %. After 120 head steps and one fine-tuning epoch on 480
  // photos, MobileNetV1 0.25 reaches about 73 % (0.75 about 92 %, in four
  // times the time). binary_accuracy thresholds the logits at 0.5, as Keras's
  // BinaryAccuracy() does in the guide; predict()'s count thresholds them at 0.
  assert.ok(predicted >= 65, `test accuracy from predict() ${predicted} %`);
  assert.ok(accuracy >= 0.65, `test binary_accuracy ${accuracy}`);
});

test('the saved model loads and predicts as the trained one', async () => {
  assert.match(run.out, /the loaded model predicts the same: true/);
  const tk = await loadTanuki();
  const model = await tk.loadLayersModel(join(work, 'model'));
  assert.deepEqual(model.inputs[0].shape, [null, 160, 160, 3]);
  const image = tk.image.decode(stripes(true, 7), { size: [160, 160] });
  const logit = model.predict(image);
  assert.deepEqual(logit.shape, [1, 1]);
  assert.ok(Number.isFinite(logit.dataSync()[0]));
  for (const x of [logit, image, model]) x.dispose();
});

test('the custom training loop: one epoch of batches, finite losses, gradients of the head only', () => {
  const steps = [...run.out.matchAll(/^custom loop batch \d+: loss ([\d.]+), gradients of (\d+) trainable weights$/gm)];
  assert.ok(steps.length >= 3, `${steps.length} batches`);
  for (const [, loss, count] of steps) {
    assert.ok(Number.isFinite(Number(loss)));
    assert.equal(Number(count), 2);
  }
});

test('the ImageNet backbone was downloaded once (served locally), then read from the cache; the bundled one asks nothing', () => {
  if (!haveModel) return assert.deepEqual(run.requests, []);
  const modelJson = run.requests.filter((r) => r.endsWith('/model.json'));
  assert.equal(modelJson.length, 1, `model.json requested ${modelJson.length} times`);
  assert.ok(run.requests.length > 10, 'model.json and its weight shards');
});

// What the port needed of the library, in process.

test('applications: weights \'bundled\' is the bundled MobileNetV2 without top, rebuilt at 160x160 with the same weights', async () => {
  const tk = await loadTanuki();
  const { ValueError } = tk.errors;
  const base = await tk.applications.mobileNetV2({ weights: 'bundled', inputShape: [160, 160, 3], includeTop: false });
  assert.deepEqual(base.inputs[0].shape, [null, 160, 160, 3]);
  assert.deepEqual(base.outputs[0].shape, [null, 5, 5, 1280]);
  const atNative = await tk.applications.mobileNetV2({ weights: 'bundled', pooling: 'avg' });
  assert.deepEqual(atNative.outputs[0].shape, [null, 1280]);
  const backbone = await tk.loadBackbone('bundled', { cutLayer: 'out_relu', inputShape: [96, 96, 3] });
  assert.deepEqual(backbone.featureShape, [3, 3, 1280]);
  assert.deepEqual(backbone.inputSize, [96, 96]);
  const kernel = (m) => m.getLayer('Conv1').getWeights()[0].dataSync();
  assert.deepEqual(kernel(base), kernel(atNative));
  assert.deepEqual(kernel(backbone.model), kernel(atNative));
  const x = tk.randomUniform([1, 160, 160, 3], 0, 1);
  const features = base.predict(x);
  assert.ok(features.dataSync().every(Number.isFinite));
  await assert.rejects(tk.applications.mobileNetV2({ weights: 'bundled', alpha: 0.35 }), ValueError);
  await assert.rejects(tk.applications.mobileNet({ weights: 'bundled' }), ValueError);
  await assert.rejects(tk.applications.mobileNetV2({ weights: null }), ValueError);
  for (const m of [features, x, base, atNative, backbone.model]) m.dispose();
});

test('summary({showTrainable: true}): Keras\'s show_trainable column, Y for trainable layers and N for frozen ones', async () => {
  const tk = await loadTanuki();
  const hidden = tk.layers.dense({ units: 4, name: 'hidden' });
  const model = tk.sequential({ layers: [tk.input({ shape: [3] }), hidden, tk.layers.dense({ units: 1, name: 'out' })] });
  hidden.trainable = false;
  const lines = [];
  const text = model.summary({ showTrainable: true, printFn: (t) => lines.push(t) });
  assert.equal(lines.length, 1);
  assert.match(text, /^Layer \(type\)\s+Output Shape\s+Param #\s+Trainable$/m);
  assert.match(text, /^hidden \(Dense\)\s.*\s16\s+N$/m);
  assert.match(text, /^out \(Dense\)\s.*\s5\s+Y$/m);
  assert.match(text, /^Trainable params: 5$/m);
  // The TF.js form is unchanged.
  assert.doesNotMatch(model.summary(80, undefined, () => {}), /Param #\s+Trainable/);
  model.dispose();
});
