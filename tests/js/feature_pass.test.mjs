// ImageClassifier's feature pass: each image is decoded once for all the
// views it needs (augmented views where it trains, its mirror where it is
// held out), and each view's features are the backbone's on that view.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTanuki } from './helpers.mjs';
import { outputOn, smallClassifier } from './small_classifier.mjs';

const tk = await loadTanuki();

/** Counts the decodings tk.image.decodeAsync does while `run` runs (the real decoder does them). */
async function countDecodes(run) {
  const decode = tk.image.decodeAsync;
  let count = 0;
  tk.image.decodeAsync = (...args) => {
    count++;
    return decode.apply(tk.image, args);
  };
  try {
    await run();
  } finally {
    tk.image.decodeAsync = decode;
  }
  return count;
}

test('train() decodes each image once for its augmented views and its mirror, and each view is what the backbone makes of it', async () => {
  const c = await smallClassifier(tk, { red: 12, blue: 12 });
  const decodes = await countDecodes(() => c.train({ epochs: 2, learningRate: 0.01, augment: true, views: 3, validationSplit: 0.25, seed: 4 }));
  assert.equal(decodes, 24, 'one decoding per image');
  const held = new Set(c.validationPredictions.map((v) => v.key));
  assert.equal(held.size, 6);
  for (const e of c.examples) {
    const views = [0, 1, 2, 'mirror'].filter((v) => c._cache.has(`${e.cacheKey}/${v}`));
    assert.deepEqual(views, held.has(e.key) ? [0, 'mirror'] : [0, 1, 2], `${e.key}: the views it needs, no more`);
    const cached = (v) => Array.from(c._cache.get(`${e.cacheKey}/${v}`));
    const plain = await outputOn(tk, c._extractor, e.image);
    cached(0).forEach((f, i) => assert.ok(Math.abs(f - plain[i]) <= 1e-5, `${e.key}: view 0 is the image itself`));
    if (held.has(e.key)) {
      const mirrored = await outputOn(tk, c._extractor, e.image, { mirror: true });
      cached('mirror').forEach((f, i) => assert.ok(Math.abs(f - mirrored[i]) <= 1e-5, `${e.key}: the mirror view`));
    } else {
      assert.notDeepEqual(cached(1), cached(0), `${e.key}: view 1 is augmented`);
      assert.notDeepEqual(cached(2), cached(1), `${e.key}: views 1 and 2 differ`);
    }
  }
  // Training again with the same views computes nothing and decodes nothing.
  const before = c.featureComputations;
  assert.equal(await countDecodes(() => c.train({ epochs: 1, learningRate: 0.01, augment: true, views: 3, validationSplit: 0.25, seed: 4 })), 0);
  assert.equal(c.featureComputations, before);
  c.dispose();
});

test('an unreadable image found in the first pass changes the split, and the final split gets every view it needs', async () => {
  const c = await smallClassifier(tk, { red: 10, blue: 10 }, { skipInvalid: true });
  c.addExample(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), 'red', { key: 'broken' });
  await c.train({ epochs: 1, learningRate: 0.01, augment: true, views: 2, validationSplit: 0.2, seed: 1 });
  assert.deepEqual(c.skipped.map((s) => s.label), ['red']);
  assert.equal(c.examples.length, 20);
  const held = new Set(c.validationPredictions.map((v) => v.key));
  for (const e of c.examples) {
    const needed = held.has(e.key) ? [0, 'mirror'] : [0, 1];
    for (const v of needed) assert.ok(c._cache.has(`${e.cacheKey}/${v}`), `${e.key}: view ${v}`);
  }
  c.dispose();
});
