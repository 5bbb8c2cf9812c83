// A reload in the middle of a training, in Chromium, Firefox and WebKit (one
// body, engines in sequence): the project in IndexedDB (classes, images,
// settings) comes back whole, whichever way the engine lets the page store
// images, and training works again. The worker crash and the soak stay in
// faults.test.mjs: they reach into the worker, which only Playwright can.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines, openEngine } from './drivers/index.mjs';
import { photoSets } from './photos.mjs';

const PER_CLASS = 6;
const testId = (id) => `[data-testid="${id}"]`;

// Runs in the page: what IndexedDB holds, read directly.
async function storedProject() {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('tanuki');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    const all = (store) =>
      new Promise((resolve, reject) => {
        const request = db.transaction(store, 'readonly').objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const classes = (await all('classes')).sort((a, b) => a.order - b.order);
    const images = await all('images');
    // A Blob, or its bytes where the engine refuses Blobs here.
    const size = (blob) => blob.size ?? blob.bytes.byteLength;
    return classes.map((c) => {
      const own = images.filter((i) => i.classId === c.id);
      return { name: c.name, images: own.length, bytes: own.reduce((n, i) => n + size(i.blob), 0) };
    });
  } finally {
    db.close();
  }
}

for (const { name: engine, skip } of engines()) {
  describe(`a reload in the middle of a training (${engine})`, { skip }, () => {
    let page;
    let clock;

    before(async () => {
      clock = Date.now();
      page = await openEngine(engine);
      await page.waitForText(testId('backbone-status'), 'Ready', { timeout: 60_000 });
    });

    after(async () => {
      await page?.close();
      console.log(`# ${engine}: the reload run took ${((Date.now() - clock) / 1000).toFixed(1)} s`);
    });

    test('keeps the classes, images and settings, and training works again', async () => {
      const photos = await photoSets(page, { trainCount: PER_CLASS, testCount: 1, generated: true });
      for (const [i, label] of photos.labels.entries()) {
        await page.fill(testId('class-name'), label, i);
        await page.press(testId('class-name'), 'Enter', i);
        await page.setFiles(testId('class-files'), photos.train[label], i);
        await page.waitForText(testId('class-count'), `${PER_CLASS} images`, { nth: i });
      }
      // A run long enough to be interrupted.
      for (const [name, value] of Object.entries({ epochs: 500, batchSize: 1, validationSplit: 0 })) await page.fill(`input[name="${name}"]`, value);
      await page.select('select[name="fineTuneLayers"]', '0');
      await page.blur('input[name="validationSplit"]');
      const saved = await page.evaluate(storedProject);
      assert.deepEqual(saved.map((c) => [c.name, c.images]), photos.labels.map((l) => [l, PER_CLASS]));

      await page.click(testId('train'));
      await page.waitFor(() => {
        const m = document.querySelector('#progress-text').textContent.match(/Training the head · epoch (\d+)\/(\d+)/);
        return m && Number(m[1]) >= 2 && Number(m[1]) < Number(m[2]);
      }, null, { timeout: 120_000 });
      await page.reload();
      await page.waitForText(testId('backbone-status'), 'Ready', { timeout: 60_000 });
      assert.deepEqual(await page.evaluate(storedProject), saved);
      assert.deepEqual(await page.values(testId('class-name')), photos.labels);
      assert.deepEqual(await page.texts(testId('class-count')), photos.labels.map(() => `${PER_CLASS} images`));
      assert.equal(await page.value('input[name="epochs"]'), '500');
      assert.equal(await page.text('#fact-head'), 'none yet');

      await page.fill('input[name="epochs"]', 3);
      await page.fill('input[name="batchSize"]', 4);
      await page.blur('input[name="batchSize"]');
      await page.click(testId('train'));
      await page.waitForText(testId('progress'), /Trained in/, { timeout: 120_000 });
      await page.setFiles(testId('predict-files'), photos.test[photos.labels[0]]);
      await page.waitFor(() => document.querySelectorAll('[data-testid="prediction"] .top-class').length === 1, null, { timeout: 60_000 });
      assert.deepEqual(await page.texts(`${testId('error')} li`), []);
    });
  });
}
