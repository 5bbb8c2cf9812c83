// Every example in examples/ runs as a newcomer would run it (node, from the
// project folder) and prints what its comments promise. Those that need the
// shared photos or models say so and are skipped when they are absent.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTanuki } from './helpers.mjs';
import { encodePng } from './png_fixtures.mjs';

const root = new URL('../..', import.meta.url).pathname;
const CATS_VS_DOGS = join(root, '../shared/data/cats_vs_dogs');
const IMAGENET_MODEL = join(root, '../shared/models/mobilenet_v1_0.75_224');

function example(name, args = [], timeout = 300_000) {
  const result = spawnSync(process.execPath, [join('examples', name), ...args], { cwd: root, encoding: 'utf8', timeout });
  if (result.error) throw result.error;
  return result;
}

function succeeds(name, args, timeout) {
  const result = example(name, args, timeout);
  assert.equal(result.status, 0, `${name} failed:\n${result.stderr}`);
  return result.stdout;
}

test('trainable_walkthrough.mjs: the Keras guide\'s weight counts, and a frozen layer stays unchanged', () => {
  const out = succeeds('trainable_walkthrough.mjs');
  assert.match(out, /# Dense has 2 trainable weights[^\n]*\nweights: 2 trainable_weights: 2 non_trainable_weights: 0/);
  assert.match(out, /# BatchNormalization[^\n]*\nweights: 4 trainable_weights: 2 non_trainable_weights: 2/);
  assert.match(out, /layer1 weights unchanged: true\nlayer2 weights changed: true/);
  assert.match(out, /outer trainable_weights: 0/);
});

test('custom_training_loop.mjs: the loss falls and the spirals are learned', () => {
  const out = succeeds('custom_training_loop.mjs');
  const losses = [...out.matchAll(/epoch \d+: loss ([\d.]+)/g)].map((m) => Number(m[1]));
  assert.equal(losses.length, 5);
  assert.ok(losses.at(-1) < losses[0], `losses ${losses}`);
  const accuracy = Number(out.match(/training accuracy: ([\d.]+) %/)[1]);
  assert.ok(accuracy > 90, `accuracy ${accuracy}`);
});

test('imagenet_predict.mjs: summaries, then ImageNet classes of photos', (t) => {
  const out = succeeds('imagenet_predict.mjs');
  if (!existsSync(join(IMAGENET_MODEL, 'model.json'))) {
    assert.match(out, /^skipped: no model at/);
    return t.skip(`no ImageNet MobileNetV1 at ${IMAGENET_MODEL}`);
  }
  assert.match(out, /Bundled backbone: MobileNetV2/);
  assert.match(out, /Total params/);
  if (existsSync(CATS_VS_DOGS)) {
    // A dog photo's top class is a dog breed: hound, retriever, terrier...
    const dog = out.split('\n\n').find((block) => /val\/dog\//.test(block));
    assert.match(dog.split('\n')[1], /hound|retriever|terrier|spaniel|dog|shepherd|collie|beagle|pug|poodle/i);
  }
});

test('cats_vs_dogs.mjs: transfer learning and fine-tuning on real photos, evaluated on held-out ones', (t) => {
  if (!existsSync(join(CATS_VS_DOGS, 'val'))) {
    assert.match(succeeds('cats_vs_dogs.mjs'), /^skipped: no photos at/);
    return t.skip(`no photos at ${CATS_VS_DOGS}`);
  }
  const out = succeeds('cats_vs_dogs.mjs', [], 600_000);
  assert.match(out, /training on 400 photos of cat, dog/);
  assert.match(out, /train epoch 20\/20: loss/);
  assert.match(out, /fine-tune epoch 1\/1: loss/);
  assert.match(out, /evaluation on 200 validation photos/);
  assert.match(out, /confusion matrix/);
  const accuracy = Number(out.match(/validation accuracy: ([\d.]+) %/)[1]);
  // The bundled backbone reaches about 87 %; chance is 50 %.
  assert.ok(accuracy >= 80, `validation accuracy ${accuracy} %`);
});

// Stripes, horizontal or vertical, in random colours: two classes a frozen backbone tells apart.
function stripes(vertical, seed) {
  const size = 48;
  const pixels = new Uint8Array(size * size * 3);
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const a = [random() * 255, random() * 255, random() * 255];
  const b = a.map((v) => 255 - v);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) pixels.set(Math.floor((vertical ? x : y) / 6) % 2 ? b : a, (y * size + x) * 3);
  }
  return encodePng(size, size, pixels);
}

test('use_exported_model.mjs: a classifier exported as model.json + weights.bin + classes.json predicts in Node', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanuki-export-'));
  try {
    // The export, made as the page makes it: an ImageClassifier trained on two classes, saved.
    const tk = await loadTanuki();
    const classifier = await tk.ImageClassifier.fromBackbone('bundled');
    for (let i = 0; i < 12; i++) {
      classifier.addExample(stripes(false, i), 'horizontal');
      classifier.addExample(stripes(true, 100 + i), 'vertical');
    }
    await classifier.train({ epochs: 20, batchSize: 8 });
    await classifier.save(join(dir, 'model'));
    assert.deepEqual(readdirSync(join(dir, 'model')).sort(), ['classes.json', 'model.json', 'weights.bin']);

    mkdirSync(join(dir, 'photos'));
    writeFileSync(join(dir, 'photos', 'a_horizontal.png'), stripes(false, 500));
    writeFileSync(join(dir, 'photos', 'b_vertical.png'), stripes(true, 600));
    const out = succeeds('use_exported_model.mjs', [join(dir, 'model'), join(dir, 'photos')]);
    assert.match(out, /classes: horizontal, vertical/);
    assert.match(out, /a_horizontal\.png: horizontal [\d.]+ %, vertical [\d.]+ %/);
    assert.match(out, /b_vertical\.png: vertical [\d.]+ %, horizontal [\d.]+ %/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('use_exported_model.mjs without arguments prints its usage and fails', () => {
  const result = example('use_exported_model.mjs');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /usage: node examples\/use_exported_model\.mjs MODEL_DIR/);
});
