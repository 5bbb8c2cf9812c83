// The page under faults: the training worker dying in the middle of a
// training, the page reloaded in the middle of an epoch, and 200 train /
// predict cycles through the page's worker. The project in IndexedDB must
// survive the first two, training must work again afterwards, and the
// worker's WebAssembly heap and live wrappers must stay flat through the soak.
/* global gc -- Chromium runs with --js-flags=--expose-gc */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NO_BROWSER, backboneReady, chromiumOnly, errorMessages, openPage, reloadWhenSaved } from './helpers.mjs';
import { photoSets } from './photos.mjs';

const PER_CLASS = 8;
const SOAK_CYCLES = 200;
const SOAK_SAMPLE_EVERY = 20;
const SOAK_WARM_UP = 40;

/** Fills the training form (the page saves each change). */
async function setSettings(page, values) {
  for (const [name, value] of Object.entries(values)) {
    const field = page.locator(`[name="${name}"]`);
    if (await field.evaluate((el) => el.tagName === 'SELECT')) await field.selectOption(String(value));
    else if (typeof value === 'boolean') await field.setChecked(value);
    else {
      await field.fill(String(value));
      await field.blur();
    }
  }
}

/** Names the two classes and fills them with photos. */
async function fillClasses(page, photos) {
  const names = page.getByTestId('class-name');
  for (const [i, label] of photos.labels.entries()) {
    await names.nth(i).fill(label);
    await names.nth(i).press('Enter');
    await page.getByTestId('class-files').nth(i).setInputFiles(photos.train[label]);
  }
  for (const i of [0, 1]) await page.getByTestId('class-count').nth(i).filter({ hasText: `${photos.train[photos.labels[i]].length} images` }).waitFor();
}

/** Clicks Train and waits for the run to finish. */
async function trainToCompletion(page) {
  await page.getByTestId('train').click();
  await page.getByTestId('progress').getByText(/^Trained in/).waitFor({ timeout: 180_000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid="train"]').disabled);
}

/** Waits until the head is being trained, past its first epoch (the run is long). */
async function waitForMidEpoch(page) {
  await page.waitForFunction(() => {
    const m = document.querySelector('#progress-text').textContent.match(/Training the head · epoch (\d+)\/(\d+)/);
    return m && Number(m[1]) >= 2 && Number(m[1]) < Number(m[2]);
  }, null, { timeout: 120_000, polling: 20 });
}

/** Classifies images on the page; resolves to the top class of each. */
async function predict(page, files) {
  // The previous results stay until the new ones replace them.
  const previous = await page.locator('#predictions').evaluateHandle((list) => list.firstElementChild);
  await page.getByTestId('predict-files').setInputFiles(files);
  await page.waitForFunction(
    ([previous, n]) => {
      const list = document.querySelector('#predictions');
      return list.firstElementChild !== previous && !list.hasAttribute('aria-busy') && list.querySelectorAll('.top-class').length === n;
    },
    [previous, files.length],
    { timeout: 60_000 },
  );
  return page.locator('[data-testid="prediction"] .top-class').allTextContents();
}

/**
 * What IndexedDB holds, read directly: classes in order with their images
 * (count and bytes), and the saved model (when it was saved, its class
 * names, a checksum of its weights), the history's length and the backbone.
 */
function storedProject(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('tanuki');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      const all = (store, keys = false) =>
        new Promise((resolve, reject) => {
          const os = db.transaction(store, 'readonly').objectStore(store);
          const request = keys ? os.getAllKeys() : os.getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      const classes = (await all('classes')).sort((a, b) => a.order - b.order);
      const images = await all('images');
      const keys = await all('values', true);
      const values = Object.fromEntries((await all('values')).map((v, i) => [keys[i], v]));
      const checksum = (bytes) => {
        let h = 0x811c9dc5;
        for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
        return h;
      };
      const model = values.model
        ? {
            savedAt: values.model.savedAt,
            classNames: values.model.metadata.classNames,
            weightBytes: values.model.artifacts.weightData.length,
            weights: checksum(values.model.artifacts.weightData),
          }
        : null;
      return {
        classes: classes.map((c) => {
          const own = images.filter((i) => i.classId === c.id);
          return { name: c.name, images: own.length, bytes: own.reduce((n, i) => n + i.blob.size, 0) };
        }),
        model,
        history: values.history?.length ?? 0,
        backbone: values.backbone?.kind ?? null,
      };
    } finally {
      db.close();
    }
  });
}

/** The page's training worker (Playwright's handle on it). */
function trainingWorker(page) {
  const workers = page.workers().filter((w) => w.url().endsWith('/app/worker/training.worker.js'));
  assert.equal(workers.length, 1, `one training worker, found ${workers.length}`);
  return workers[0];
}

chromiumOnly('the page under faults', "it throws a fault inside the page's worker and reads its heap through Playwright's worker handles and Chromium's performance.memory; the Firefox and WebKit drivers give no handle on a page's worker");

describe('the page under faults', { skip: NO_BROWSER }, () => {
  describe('with a project of photos', () => {
    let session;
    let page;
    let photos;
    let testFiles;

    before(async () => {
      session = await openPage();
      page = session.page;
      await backboneReady(page);
      photos = await photoSets(page, { trainCount: PER_CLASS, testCount: 2 });
      testFiles = photos.labels.flatMap((label) => photos.test[label]);
      await fillClasses(page, photos);
      // Long runs are interrupted; short ones run to the end.
      await setSettings(page, { validationSplit: 0, augment: false, fineTuneLayers: 0 });
    });

    after(async () => {
      await session?.close();
    });

    const long = { epochs: 500, batchSize: 1 };
    const short = { epochs: 3, batchSize: 4 };

    test('a reload in the middle of the first training keeps the classes and images', async () => {
      await setSettings(page, long);
      const saved = await storedProject(page);
      assert.equal(saved.model, null);
      assert.deepEqual(saved.classes.map((c) => [c.name, c.images]), photos.labels.map((l) => [l, PER_CLASS]));
      await page.getByTestId('train').click();
      await waitForMidEpoch(page);
      await reloadWhenSaved(page);
      await backboneReady(page);
      assert.deepEqual(await storedProject(page), saved);
      assert.deepEqual(await page.getByTestId('class-count').allTextContents(), photos.labels.map(() => `${PER_CLASS} images`));
      assert.equal(await page.locator('#fact-head').textContent(), 'none yet');

      await setSettings(page, short);
      await trainToCompletion(page);
      assert.equal((await predict(page, testFiles)).length, testFiles.length);
      assert.deepEqual(await errorMessages(page), []);
    });

    test('the worker dying in the middle of a training is reported, restarted, and the project is intact', async () => {
      const saved = await storedProject(page);
      assert.ok(saved.model, 'a model is saved');
      assert.deepEqual(saved.classes.map((c) => [c.name, c.images]), photos.labels.map((l) => [l, PER_CLASS]));
      const logRows = await page.locator('[data-testid="epoch-log"] tr').count();
      assert.equal(logRows, short.epochs);

      await setSettings(page, long);
      const crashed = trainingWorker(page);
      const closed = new Promise((resolve) => crashed.once('close', resolve));
      await page.getByTestId('train').click();
      await waitForMidEpoch(page);
      // A real fault: an exception nobody catches, thrown from the worker's
      // own event loop between two batches.
      await crashed.evaluate(() => {
        setTimeout(() => {
          throw new Error('injected fault');
        }, 0);
      });

      await page.locator('[data-testid="error"] li').getByText(/training worker failed .*injected fault.*restarted/).waitFor({ timeout: 30_000 });
      await closed;
      await page.getByTestId('progress').getByText(/Training failed/).waitFor();
      const messages = await errorMessages(page);
      assert.equal(messages.filter((m) => /training worker failed/.test(m)).length, 1, `reported once: ${messages.join(' | ')}`);
      assert.ok(await page.getByTestId('stop').isDisabled());

      // A fresh worker has the backbone and the saved model again.
      await backboneReady(page);
      assert.notEqual(trainingWorker(page), crashed, 'a new worker was started');
      assert.ok(await page.getByTestId('train').isEnabled());
      assert.deepEqual(await storedProject(page), saved, 'the project in IndexedDB is unchanged');
      assert.equal(await page.locator('[data-testid="epoch-log"] tr').count(), logRows, 'the last training’s log is back');
      assert.deepEqual(await page.getByTestId('class-count').allTextContents(), photos.labels.map(() => `${PER_CLASS} images`));
      const before = await predict(page, testFiles);
      assert.equal(before.length, testFiles.length);
      for (const top of before) assert.ok(photos.labels.includes(top), top);
      await page.locator('#error-dismiss').click();

      // Training runs again to the end, and its model predicts.
      await setSettings(page, short);
      await trainToCompletion(page);
      const retrained = await storedProject(page);
      assert.notEqual(retrained.model.savedAt, saved.model.savedAt, 'the new model is saved');
      assert.deepEqual(retrained.classes, saved.classes);
      assert.equal((await predict(page, testFiles)).length, testFiles.length);
      assert.deepEqual(await errorMessages(page), []);
    });

    test('a reload in the middle of an epoch keeps the project and the last saved model', async () => {
      const saved = await storedProject(page);
      assert.ok(saved.model);
      await setSettings(page, long);
      await page.getByTestId('train').click();
      await waitForMidEpoch(page);
      await reloadWhenSaved(page);
      await backboneReady(page);

      assert.deepEqual(await storedProject(page), saved, 'IndexedDB holds the project as it was before the run');
      const names = await page.getByTestId('class-name').evaluateAll((inputs) => inputs.map((i) => i.value));
      assert.deepEqual(names, photos.labels);
      assert.deepEqual(await page.getByTestId('class-count').allTextContents(), photos.labels.map(() => `${PER_CLASS} images`));
      assert.equal(await page.locator('input[name="epochs"]').inputValue(), String(long.epochs), 'the settings were kept');
      assert.equal(await page.locator('[data-testid="epoch-log"] tr').count(), saved.history);
      assert.match(await page.locator('#fact-head').textContent(), new RegExp(`2 classes \\(${photos.labels.join(', ')}\\)`));
      assert.equal((await predict(page, testFiles)).length, testFiles.length, 'the saved model predicts after the reload');

      await setSettings(page, short);
      await trainToCompletion(page);
      const retrained = await storedProject(page);
      assert.notEqual(retrained.model.savedAt, saved.model.savedAt);
      assert.equal(retrained.history, short.epochs);
      assert.deepEqual(retrained.classes, saved.classes);
      assert.equal((await predict(page, testFiles)).length, testFiles.length);
      assert.deepEqual(await errorMessages(page), []);
    });

    test('nothing was logged as an error but the injected fault', () => {
      const unexpected = session.consoleErrors.filter((e) => !/injected fault/.test(e));
      assert.deepEqual(unexpected, []);
    });
  });

  test(`${SOAK_CYCLES} train / predict cycles through the page's worker keep its memory flat`, { timeout: 300_000 }, async () => {
    // gc() in the page and the worker, so that samples count what is still
    // reachable; precise numbers for the page's own JS heap.
    const session = await openPage({ args: ['--js-flags=--expose-gc', '--enable-precise-memory-info'] });
    const { page } = session;
    try {
      await backboneReady(page);
      // A small backbone keeps each cycle short: 32 x 32 pixels, seven small
      // convolutions (enough to fine-tune its top five layers).
      const { default: tanuki } = await import('../../wasm/js/index.js');
      const tk = await tanuki.load();
      const input = tk.input({ shape: [32, 32, 3] });
      let x = input;
      for (let i = 1; i <= 7; i++) {
        x = tk.layers.conv2d({ filters: 8, kernelSize: 3, strides: i <= 2 ? 2 : 1, padding: 'same', activation: 'relu', name: `conv_${i}` }).apply(x);
      }
      x = tk.layers.globalAveragePooling2d({ name: 'pool' }).apply(x);
      const output = tk.layers.dense({ units: 4, activation: 'softmax', name: 'logits' }).apply(x);
      const { modelJson, weightData } = tk.model({ inputs: input, outputs: output, name: 'tiny_backbone' }).toArtifacts();
      await page.locator('.backbone-choice summary').click();
      await page.locator('#backbone-files').setInputFiles([
        { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(modelJson)) },
        { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(weightData) },
      ]);
      await page.getByTestId('backbone-status').getByText(/Ready: tiny_backbone/).waitFor({ timeout: 60_000 });
      // The replaced MobileNetV2 is freed at once, not when the garbage collector runs.
      const switched = await trainingWorker(page).evaluate(() => self.tanukiMemory());
      assert.ok(switched.usedBytes < 1024 * 1024, `${switched.usedBytes} B in use after the backbone was replaced`);

      const { train } = await photoSets(page, { trainCount: 4, testCount: 0, generated: true });
      await fillClasses(page, { labels: ['stripes', 'dots'], train });
      // Each run trains the head and fine-tunes the backbone's top: the worker
      // reloads the pretrained backbone for the next run.
      await setSettings(page, { epochs: 2, batchSize: 4, validationSplit: 0, augment: false, fineTuneLayers: 5 });
      await setSettings(page, { fineTuneEpochs: 1, fineTuneLearningRate: 0.0001 });
      await page.evaluate(async () => {
        const canvas = new OffscreenCanvas(48, 48);
        canvas.getContext('2d').fillRect(0, 0, 24, 48);
        window.soakImage = new File([await canvas.convertToBlob({ type: 'image/png' })], 'probe.png', { type: 'image/png' });
      });

      // Cycles run inside the page, through its own buttons and inputs: Train,
      // wait for the run to end (the new model replaces the previous one in
      // the worker and in IndexedDB), then classify one image.
      const cycles = (n) =>
        page.evaluate(async (n) => {
          const train = document.querySelector('[data-testid="train"]');
          const text = document.querySelector('#progress-text');
          const input = document.querySelector('[data-testid="predict-files"]');
          const list = document.querySelector('#predictions');
          const until = async (done, what) => {
            const start = performance.now();
            while (!done()) {
              if (performance.now() - start > 30_000) throw new Error(`timed out waiting for ${what}: ${text.textContent}`);
              await new Promise((resolve) => setTimeout(resolve, 2));
            }
          };
          for (let i = 0; i < n; i++) {
            train.click();
            await until(() => !train.disabled && /^(Trained|Training failed)/.test(text.textContent), 'the training');
            if (!text.textContent.startsWith('Trained')) throw new Error(text.textContent);
            const previous = list.firstElementChild;
            const files = new DataTransfer();
            files.items.add(window.soakImage);
            input.files = files.files;
            input.dispatchEvent(new Event('change'));
            await until(() => list.firstElementChild && list.firstElementChild !== previous && !list.hasAttribute('aria-busy'), 'the prediction');
            if (!list.querySelector('.top-class')) throw new Error(`no prediction: ${list.textContent}`);
          }
        }, n);
      const sample = async () => {
        const worker = trainingWorker(page);
        const memory = await worker.evaluate(async () => {
          const unforced = self.tanukiMemory();
          for (let i = 0; i < 3; i++) {
            gc();
            await new Promise((resolve) => setTimeout(resolve, 10));  // FinalizationRegistry callbacks run
          }
          return { ...self.tanukiMemory(), unforced };
        });
        const pageHeap = await page.evaluate(() => {
          gc();
          return performance.memory.usedJSHeapSize;
        });
        return { ...memory, pageHeap };
      };

      const samples = [];
      const started = Date.now();
      for (let done = 0; done < SOAK_CYCLES; done += SOAK_SAMPLE_EVERY) {
        await cycles(SOAK_SAMPLE_EVERY);
        samples.push({ cycles: done + SOAK_SAMPLE_EVERY, ...(await sample()) });
      }
      const seconds = (Date.now() - started) / 1000;
      console.log(`# ${SOAK_CYCLES} cycles in ${seconds.toFixed(1)} s`);
      for (const s of samples) console.log(`# after ${s.cycles}: heap ${s.heapBytes} B, in use ${s.usedBytes} B, ${s.liveHandles} live wrappers, page JS heap ${s.pageHeap} B (before gc: ${s.unforced.usedBytes} B in use, ${s.unforced.liveHandles} live wrappers)`);

      const baseline = samples.find((s) => s.cycles === SOAK_WARM_UP);
      for (const s of samples.filter((s) => s.cycles > SOAK_WARM_UP)) {
        assert.equal(s.liveHandles, baseline.liveHandles, `live wrappers after ${s.cycles} cycles`);
        assert.equal(s.heapBytes, baseline.heapBytes, `the WebAssembly memory grew after ${s.cycles} cycles`);
        assert.ok(s.usedBytes - baseline.usedBytes < 64 * 1024, `heap in use grew by ${s.usedBytes - baseline.usedBytes} B after ${s.cycles} cycles`);
        assert.ok(s.pageHeap - baseline.pageHeap < 2 * 1024 * 1024, `the page's JS heap grew by ${s.pageHeap - baseline.pageHeap} B after ${s.cycles} cycles`);
      }
      assert.match(await page.locator('#fact-head').textContent(), /fine-tuned above conv_\d/);
      assert.deepEqual(await errorMessages(page), []);
      assert.deepEqual(session.consoleErrors, []);
    } finally {
      await session.close();
    }
  });
});
