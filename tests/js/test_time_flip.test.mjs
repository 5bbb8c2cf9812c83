// Test-time flip: where training flips images (the default), a classifier's
// predictions, evaluation and validation report average each image with its
// horizontal mirror; a saved classifier keeps doing so after loading; turning
// flip off, or testTimeFlip itself, predicts on the image alone.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mirrorImages } from '../../wasm/js/transfer/image_batches.js';
import { loadTanuki } from './helpers.mjs';
import { outputOn, picture, smallClassifier } from './small_classifier.mjs';

const tk = await loadTanuki();
const TRAIN = { epochs: 3, learningRate: 0.01, augment: false, seed: 2 };

/** The whole network's class probabilities on the image and on its mirror, computed apart. */
async function bothLooks(classifier, image) {
  const model = classifier.toModel();
  const plain = await outputOn(tk, model, image);
  const flipped = await outputOn(tk, model, image, { mirror: true });
  return { plain, flipped, mean: plain.map((p, i) => (p + flipped[i]) / 2) };
}

/** predict()'s probabilities in class order. */
async function predicted(classifier, image) {
  const top = await classifier.predict(image);
  return classifier.classNames.map((name) => top.find((t) => t.className === name).probability);
}

function assertClose(actual, expected, what) {
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= 1e-5, `${what}: ${actual} against ${expected}`));
}

test('mirrorImages reverses each row of pixels and leaves the channels in order', () => {
  const x = tk.tensor(Float32Array.from({ length: 2 * 2 * 3 * 3 }, (_, i) => i), [2, 2, 3, 3]);
  const m = mirrorImages(tk, x);
  const a = x.arraySync();
  const b = m.arraySync();
  for (let n = 0; n < 2; n++) for (let y = 0; y < 2; y++) for (let col = 0; col < 3; col++) assert.deepEqual(b[n][y][col], a[n][y][2 - col]);
  [x, m].forEach((t) => t.dispose());
});

test('predictions average each image with its mirror where training flips; off with flip or testTimeFlip false', async () => {
  const image = picture('red', 50);
  const flipping = await smallClassifier(tk, { red: 8, blue: 8 });
  assert.equal(flipping.testTimeFlip, true, 'on by default: training flips by default');
  await flipping.train(TRAIN);
  const looks = await bothLooks(flipping, image);
  assert.ok(looks.plain.some((p, i) => Math.abs(p - looks.flipped[i]) > 1e-4), 'the noise picture looks different mirrored, so the test can tell');
  assertClose(await predicted(flipping, image), looks.mean, 'predict() is the mean of the two looks');
  const report = await flipping.evaluate([{ image, label: 'red' }]);
  assert.equal(report.count, 1);

  for (const options of [{ augmentation: { flip: false } }, { testTimeFlip: false }]) {
    const plain = await smallClassifier(tk, { red: 8, blue: 8 }, options);
    assert.equal(plain.testTimeFlip, false);
    await plain.train(TRAIN);
    assertClose(await predicted(plain, image), (await bothLooks(plain, image)).plain, `${JSON.stringify(options)}: the image alone`);
    plain.dispose();
  }
  flipping.dispose();
});

test('the validation report averages too: its verdicts match predict() on the same images', async () => {
  const c = await smallClassifier(tk, { red: 9, blue: 9 });
  await c.train({ ...TRAIN, validationSplit: 1 / 3 });
  assert.equal(c.validationPredictions.length, 6);
  for (const verdict of c.validationPredictions) {
    const p = await predicted(c, verdict.image);
    assert.ok(Math.abs(p[c.classNames.indexOf(verdict.predicted)] - verdict.probability) <= 1e-5, `${verdict.key}: ${p} against ${verdict.probability}`);
    const looks = await bothLooks(c, verdict.image);
    assertClose(p, looks.mean, `${verdict.key}: the mean of the two looks`);
  }
  c.dispose();
});

test('a saved classifier keeps averaging with the mirror after loading; older saves without the flag do not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanuki-flip-'));
  try {
    const c = await smallClassifier(tk, { red: 8, blue: 8 });
    await c.train(TRAIN);
    await c.save(join(dir, 'model'));
    const loaded = await tk.loadClassifier(join(dir, 'model'));
    assert.equal(loaded.testTimeFlip, true);
    assert.equal(loaded.metadata().testTimeFlip, true);
    const image = picture('blue', 60);
    assertClose(await predicted(loaded, image), await predicted(c, image), 'the loaded classifier predicts as the trained one');
    const older = new loaded.constructor(tk, loaded.model, { classNames: loaded.classNames });
    assert.equal(older.testTimeFlip, false, 'metadata without testTimeFlip: the image alone, as before');
    assertClose(await predicted(older, image), (await bothLooks(c, image)).plain, 'older save');
    loaded.dispose();
    c.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
