// The page end to end in Chromium, Firefox and WebKit (one body, one driver
// per engine, engines in sequence): two classes of real photos, training
// with fine-tuning in the worker, live progress and charts, predictions on
// held back photos, the project surviving a reload, the model downloaded and
// opened again. Throughout: no request leaves the page's origin, no console
// error, no main-thread task over 200 ms while training.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { engines, openEngine } from './drivers/index.mjs';
import { RESULTS } from './helpers.mjs';
import { imagenetBackboneFiles, photoSets } from './photos.mjs';

const TRAIN_PER_CLASS = 30;
const TEST_PER_CLASS = 20;
const EPOCHS = 8;
const HOSTILE = '<img src=x onerror=alert(1)>';

const testId = (id) => `[data-testid="${id}"]`;

/** Resolves once the backbone has loaded. */
const backboneReady = (page) => page.waitForText(testId('backbone-status'), 'Ready', { timeout: 60_000 });
const errorMessages = (page) => page.texts(`${testId('error')} li`);

for (const { name: engine, skip } of engines()) {
  describe(`the page, end to end (${engine})`, { skip }, () => {
    let page;
    let photos;
    let backboneFiles;
    let clock;
    const results = join(RESULTS, engine);

    before(async () => {
      clock = Date.now();
      mkdirSync(results, { recursive: true });
      page = await openEngine(engine);
      console.log(`# ${engine}: ${page.version}`);
      for (const why of Object.values(page.limits)) console.log(`# ${engine}: ${why}`);
      await backboneReady(page);
      // The README's screenshot is committed, so it shows generated images only:
      // the shared photos may not be redistributed.
      backboneFiles = process.env.TANUKI_UPDATE_SCREENSHOT === '1' ? null : imagenetBackboneFiles();
      if (!backboneFiles) console.log('# no ImageNet MobileNetV1 in the shared models folder: generated stripes and dots stand in for the photos');
      photos = await photoSets(page, { trainCount: TRAIN_PER_CLASS, testCount: TEST_PER_CLASS, generated: !backboneFiles });
      if (photos.source === 'generated') backboneFiles = null;
    });

    after(async () => {
      await page?.close();
      console.log(`# ${engine}: the page's journey took ${((Date.now() - clock) / 1000).toFixed(1)} s`);
    });

    const nameOf = (file) => (typeof file === 'string' ? file.split('/').pop() : file.name);

    /** Classifies the test photos on the page; returns the accuracy. */
    async function predictTestPhotos() {
      const files = photos.labels.flatMap((label) => photos.test[label]);
      const truth = new Map(photos.labels.flatMap((label) => photos.test[label].map((f) => [nameOf(f), label])));
      // The previous results are replaced: wait for a fresh, complete list.
      await page.evaluate(() => document.querySelectorAll('[data-testid="prediction"]').forEach((item) => item.setAttribute('data-stale', '')));
      await page.setFiles(testId('predict-files'), files);
      await page.waitFor((n) => document.querySelectorAll('[data-testid="prediction"]:not([data-stale])').length === n && !document.querySelector('[data-testid="prediction"][data-stale]'), files.length, { timeout: 60_000 });
      const items = await page.evaluate(() => Array.from(document.querySelectorAll('[data-testid="prediction"]'), (item) => ({
        top: item.querySelector('.top-class').textContent,
        file: item.querySelector('.file-name').textContent,
        text: item.textContent,
      })));
      let correct = 0;
      for (const { top, file, text } of items) {
        assert.ok(photos.labels.includes(top), `top class '${top}' is one of the classes`);
        assert.ok(text.includes(top));
        if (truth.get(file) === top) correct += 1;
      }
      return correct / files.length;
    }

    test('the bundled backbone loads and is described', async () => {
      const status = await page.text(testId('backbone-status'));
      assert.match(status, /Ready: MobileNetV2/);
      const facts = await page.text('#backbone-facts');
      assert.match(facts, /224 × 224/);
      assert.match(facts, /0 trainable · [\d,]+ non-trainable/);
      assert.match(facts, /(\d+) of \1 backbone layers/);
    });

    test('a backbone is chosen from disk (model.json and its shards)', async (t) => {
      if (!backboneFiles) return t.skip('no ImageNet backbone to choose');
      await page.click('.backbone-choice summary');
      await page.setFiles('#backbone-files', backboneFiles);
      await page.waitForText(testId('backbone-status'), /Ready: (?!MobileNetV2)/, { timeout: 60_000 });
      assert.match(await page.text('#fact-input'), /224 × 224/);
      assert.match(await page.text('#fact-cut'), /global_average_pooling/);
    });

    test('classes are created, named and filled with photos', async () => {
      // The page starts with two empty classes; add a third to check that names are text.
      await page.click(testId('add-class'));
      const names = testId('class-name');
      assert.equal(await page.count(names), 3);
      for (const [i, name] of [...photos.labels, HOSTILE].entries()) {
        await page.fill(names, name, i);
        await page.press(names, 'Enter', i);
      }
      for (const [i, label] of photos.labels.entries()) {
        await page.setFiles(testId('class-files'), photos.train[label], i);
      }
      for (const i of [0, 1]) await page.waitForText(testId('class-count'), `${TRAIN_PER_CLASS} images`, { nth: i, timeout: 60_000 });
      assert.equal(await page.text(testId('class-count'), 2), '0 images');
      assert.equal(await page.count('.thumbs img'), 2 * TRAIN_PER_CLASS);

      // The hostile name stays text everywhere it is shown.
      assert.equal(await page.value(names, 2), HOSTILE);
      assert.equal(await page.count('img[src="x"]'), 0);
      const label = await page.attribute('.delete-class', 'aria-label', 2);
      assert.ok(label.includes(HOSTILE));
      assert.deepEqual(await errorMessages(page), []);
    });

    test('training runs in the worker with live progress, charts and epoch log', async () => {
      await page.fill('input[name="epochs"]', EPOCHS);
      await page.fill('input[name="batchSize"]', 16);
      await page.fill('input[name="validationSplit"]', '0.2');
      await page.select('select[name="fineTuneLayers"]', '10');
      await page.fill('input[name="fineTuneEpochs"]', 1);
      await page.fill('input[name="fineTuneLearningRate"]', '0.00001');
      await page.blur('input[name="fineTuneLearningRate"]');

      // Record every progress text, and the loss chart after the first epoch.
      await page.evaluate(() => {
        const texts = (window.progressTexts = []);
        const target = document.querySelector('[data-testid="progress"]');
        new MutationObserver(() => texts.push(target.textContent.replace(/\s+/g, ' ').trim())).observe(target, { subtree: true, childList: true, characterData: true });
      });
      const blankChart = await page.dataURL('#chart-loss');
      const started = await page.evaluate(() => performance.now());
      const clock = Date.now();
      await page.click(testId('train'));
      assert.equal(await page.disabled(testId('stop')), false);
      await page.waitForSelector(`${testId('epoch-log')} tr`, { timeout: 120_000 });
      const firstChart = await page.dataURL('#chart-loss');
      assert.notEqual(firstChart, blankChart, 'the chart is drawn after the first epoch');
      await page.waitForText(testId('progress'), /Trained in/, { timeout: 180_000 });
      const finished = await page.evaluate(() => performance.now());
      console.log(`# ${engine}: trained ${photos.source} (${2 * TRAIN_PER_CLASS} images, ${EPOCHS} epochs + 1 fine-tuning) in ${((Date.now() - clock) / 1000).toFixed(1)} s`);

      const rows = await page.texts(`${testId('epoch-log')} tr`);
      assert.equal(rows.length, EPOCHS + 1, 'one row per epoch, head and fine-tuning');
      assert.match(rows.at(-1), /fine-tuning/);
      const lastChart = await page.dataURL('#chart-loss');
      assert.notEqual(lastChart, firstChart, 'the chart grows with the epochs');
      assert.match(await page.attribute('#chart-accuracy', 'aria-label'), new RegExp(`after ${EPOCHS + 1} epochs`));

      const texts = await page.evaluate(() => window.progressTexts);
      assert.ok(texts.some((t) => /Computing features · \d+\/\d+ images/.test(t)), 'features progress');
      assert.ok(texts.some((t) => /Training the head · epoch \d+\/\d+ · batch \d+\/\d+/.test(t)), 'epoch and batch progress');
      assert.ok(texts.some((t) => /Fine-tuning · epoch 1\/1/.test(t)), 'fine-tuning progress');
      assert.ok(texts.some((t) => /left in this step/.test(t)), 'time left');
      assert.ok(await page.disabled(testId('stop')));

      const longTasks = await page.evaluate(([from, to]) => window.tanukiLongTasks.filter((t) => t.start >= from && t.start <= to), [started, finished]);
      assert.deepEqual(longTasks.filter((t) => t.duration > 200), [], 'no main-thread task over 200 ms while training');

      // The confusion matrix of the validation split, and the head in the facts.
      const matrix = await page.text('#confusion');
      for (const label of photos.labels) assert.ok(matrix.includes(label));
      assert.match(await page.text('#report-summary'), /Accuracy [\d.]+ % on \d+ held-out images/);
      assert.match(await page.text('#fact-head'), /2 classes/);
      assert.match(await page.text('#fact-params'), /[1-9][\d,]* trainable/);
      assert.match(await page.text('#notice'), /Left out \(no images\): <img src=x onerror=alert\(1\)>/);
      assert.deepEqual(await errorMessages(page), []);
      await page.screenshot(join(results, 'trained.png'));
    });

    test('held-back photos are classified with at least 80 % accuracy', async () => {
      const accuracy = await predictTestPhotos();
      console.log(`# ${engine}: accuracy on ${2 * TEST_PER_CLASS} held-back ${photos.source} images: ${(100 * accuracy).toFixed(0)} %`);
      assert.ok(accuracy >= 0.8, `accuracy ${accuracy}`);
      await page.screenshot(join(results, 'predictions.png'));
      // The README's picture of a trained project: TANUKI_UPDATE_SCREENSHOT=1 renews it (from Chromium).
      if (process.env.TANUKI_UPDATE_SCREENSHOT === '1' && engine === 'chromium') {
        const top = await page.evaluate(() => document.querySelector('#train-heading').getBoundingClientRect().top + window.scrollY - 40);
        await page.raw.page.screenshot({ path: new URL('../../docs/screenshot.png', import.meta.url).pathname, fullPage: true, clip: { x: 0, y: top, width: 1280, height: 1150 } });
      }
    });

    test('the project survives a reload', async () => {
      await page.reload();
      await backboneReady(page);
      assert.deepEqual(await page.values(testId('class-name')), [...photos.labels, HOSTILE]);
      assert.deepEqual(await page.texts(testId('class-count')), [`${TRAIN_PER_CLASS} images`, `${TRAIN_PER_CLASS} images`, '0 images']);
      assert.equal(await page.value('input[name="epochs"]'), String(EPOCHS));
      assert.equal(await page.value('select[name="fineTuneLayers"]'), '10');
      assert.equal(await page.count(`${testId('epoch-log')} tr`), EPOCHS + 1);
      assert.equal(await page.visible('#report'), true);
      assert.equal(await page.disabled(testId('export-model')), false);
      const accuracy = await predictTestPhotos();
      assert.ok(accuracy >= 0.8, `accuracy after reload ${accuracy}`);
    });

    test('the project downloads as one .tanuki file and opens again', async () => {
      const [{ path: file }] = await page.downloads('#export-project', 1, join(results, 'project'));

      // Change the project, then open the file: everything comes back.
      await page.click('.delete-class', 2);
      await page.click('.thumbs button');
      await page.waitForText(testId('class-count'), `${TRAIN_PER_CLASS - 1} images`);
      await page.setFiles('#import-project', file);
      await page.waitForText('#notice', `Opened ${file.split('/').pop()}: 3 classes, ${2 * TRAIN_PER_CLASS} images, a trained model.`);
      assert.deepEqual(await page.texts(testId('class-count')), [`${TRAIN_PER_CLASS} images`, `${TRAIN_PER_CLASS} images`, '0 images']);
      assert.equal(await page.value(testId('class-name'), 2), HOSTILE);
      assert.equal(await page.count(`${testId('epoch-log')} tr`), EPOCHS + 1);
      // The opened project's backbone loads after the notice: wait for it to be
      // the chosen one, not the one in use before (a slow engine shows that a moment longer).
      if (backboneFiles) await page.waitForText(testId('backbone-status'), /Ready: (?!MobileNetV2)/, { timeout: 60_000 });
      else await backboneReady(page);
      assert.ok((await predictTestPhotos()) >= 0.8);
    });

    test('the model downloads as model.json, weights.bin and classes.json and opens again', async () => {
      const dir = join(results, 'exported-model');
      const downloads = await page.downloads(testId('export-model'), 3, dir);
      assert.deepEqual(downloads.map((d) => d.name).sort(), ['classes.json', 'model.json', 'weights.bin']);
      const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      assert.deepEqual(modelJson.userDefinedMetadata.classNames, photos.labels);
      assert.deepEqual(modelJson.weightsManifest[0].paths, ['weights.bin']);
      assert.deepEqual(JSON.parse(readFileSync(join(dir, 'classes.json'), 'utf8')), photos.labels);

      await page.setFiles('#import-model', downloads.map((d) => d.path));
      await page.waitForText('#notice', /Opened a model/);
      assert.match(await page.text('#fact-head'), /opened from files/);
      assert.ok((await predictTestPhotos()) >= 0.8);
    });

    test('the downloaded model loads in TensorFlow.js and agrees with Tanuki', async () => {
      const dir = join(results, 'exported-model');
      const { loadTfjsModel, tf } = await import('../js/tfjs_reference.mjs');
      const { default: tanuki } = await import('../../wasm/js/index.js');
      const tk = await tanuki.load();
      const classifier = await tk.loadClassifier(dir);
      const photo = photos.test[photos.labels[0]][0];
      const x = await tk.image.decodeAsync(typeof photo === 'string' ? photo : new Uint8Array(photo.buffer), { size: classifier.inputSize, crop: 'center' });
      const ours = classifier.model.predict(x).dataSync();
      const reference = await loadTfjsModel(dir);
      const theirs = reference.predict(tf.tensor(x.dataSync(), x.shape)).dataSync();
      for (let i = 0; i < ours.length; i++) assert.ok(Math.abs(ours[i] - theirs[i]) < 1e-3, `class ${i}: ${ours[i]} vs ${theirs[i]}`);
    });

    test('no request left the origin, nothing was logged as an error', async (t) => {
      const foreign = (await page.requests()).filter((url) => !url.startsWith(`${page.origin}/`) && !/^(blob|data):/.test(url));
      assert.deepEqual(foreign, []);
      const consoleErrors = await page.consoleErrors();
      if (consoleErrors === null) return t.skip(`console errors not checked: ${page.limits.consoleErrors}`);
      assert.deepEqual(consoleErrors, []);
    });
  });
}
