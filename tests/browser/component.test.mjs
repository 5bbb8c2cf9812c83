// <tanuki-classifier> on the embed demo page in Chromium, Firefox and WebKit
// (one body, engines in sequence): generated photos of two patterns go in
// through the element's file inputs, it trains in its worker, classifies a
// photo and fires progress, trained and prediction events; under the
// server's strict CSP, with no request leaving the origin.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engines, openEngine } from './drivers/index.mjs';
import { photoSets } from './photos.mjs';

const EPOCHS = 3;
const PER_CLASS = 8;

const part = (name) => `tanuki-classifier >>> [part~="${name}"]`;

for (const { name: engine, skip } of engines()) {
  describe(`<tanuki-classifier> (${engine})`, { skip }, () => {
    let page;
    let clock;

    before(async () => {
      clock = Date.now();
      page = await openEngine(engine, { path: 'embed.html' });
      // Every event the element fires, in order.
      await page.evaluate(() => {
        window.recorded = [];
        for (const type of ['progress', 'trained', 'prediction', 'error']) {
          document.querySelector('tanuki-classifier').addEventListener(type, (e) => window.recorded.push({ type, detail: e.detail }));
        }
      });
    });

    after(async () => {
      await page?.close();
      console.log(`# ${engine}: the element's journey took ${((Date.now() - clock) / 1000).toFixed(1)} s`);
    });

    test('the element shows one card per class of its attribute, styled by the page through ::part()', async () => {
      // The element renders its cards once its module has loaded (a slow engine: after the test starts).
      await page.waitForSelector(part('class-name'));
      assert.deepEqual(await page.texts(part('class-name')), ['cat', 'dog']);
      assert.ok(await page.disabled(part('train-button')), 'nothing to train on yet');
      assert.equal(await page.computed(part('train-button'), 'fontWeight'), '600');
      await page.waitForText(part('status'), 'Ready:', { timeout: 60_000 });
      assert.match(await page.text(part('status')), /MobileNetV2/);
    });

    test('photos in, training with progress, a prediction out, each announced by an event', async () => {
      const photos = await photoSets(page, { trainCount: PER_CLASS, testCount: 1, generated: true });
      await page.evaluate(({ labels, epochs }) => {
        const el = document.querySelector('tanuki-classifier');
        el.setAttribute('classes', labels.join(','));
        el.setAttribute('epochs', String(epochs));
      }, { labels: photos.labels, epochs: EPOCHS });
      assert.deepEqual(await page.texts(part('class-name')), photos.labels);

      for (const label of photos.labels) await page.setFiles(`tanuki-classifier >>> input[data-class="${label}"]`, photos.train[label]);
      await page.waitFor((n) => document.querySelector('tanuki-classifier').shadowRoot.querySelectorAll('[part~="thumbnail"]').length === n, 2 * PER_CLASS);
      assert.deepEqual(await page.texts(part('count')), photos.labels.map(() => `${PER_CLASS} photos`));
      assert.equal(await page.count(part('thumbnail')), 2 * PER_CLASS);

      await page.click(part('train-button'));
      await page.waitFor(() => window.recorded.some((e) => e.type === 'trained' || e.type === 'error'), null, { timeout: 180_000 });
      const recorded = await page.evaluate(() => window.recorded);
      assert.deepEqual(recorded.filter((e) => e.type === 'error'), []);
      const trained = recorded.find((e) => e.type === 'trained').detail;
      assert.deepEqual(trained.classNames, photos.labels);
      assert.equal(trained.epochs, EPOCHS);
      const progress = recorded.filter((e) => e.type === 'progress').map((e) => e.detail);
      assert.ok(progress.some((p) => p.phase === 'features' && p.fraction === 1), 'feature progress reached the end');
      assert.deepEqual(progress.filter((p) => p.phase === 'train').map((p) => p.epoch), [1, 2, 3]);
      assert.match(await page.text(part('status')), /Trained for 3 epochs/);

      const [label] = photos.labels;
      await page.setFiles(`${part('predict-button')} input`, photos.test[label]);
      await page.waitFor(() => window.recorded.some((e) => e.type === 'prediction'), null, { timeout: 60_000 });
      const { detail } = (await page.evaluate(() => window.recorded)).find((e) => e.type === 'prediction');
      assert.equal(detail.name, photos.test[label][0].name);
      assert.deepEqual(detail.predictions.map((p) => p.className).sort(), [...photos.labels].sort());
      assert.ok(Math.abs(detail.predictions.reduce((s, p) => s + p.probability, 0) - 1) < 1e-4, 'probabilities sum to 1');
      // What the element shows is what the event says.
      assert.deepEqual(await page.texts(part('prediction-class')), detail.predictions.map((p) => p.className));
      assert.match(await page.text(part('status')), new RegExp(`Looks like ${detail.predictions[0].className}`));
      assert.ok(await page.visible(part('preview')));
      console.log(`# ${engine}: predicted ${detail.predictions.map((p) => `${p.className} ${(100 * p.probability).toFixed(1)}%`).join(', ')} for a '${label}' photo`);
      // The demo page lists the events too.
      assert.match(await page.text('#events'), /trained: .* after 3 epochs[\s\S]*prediction: /);
    });

    test('nothing left the origin and nothing was logged as an error', async (t) => {
      const outside = (await page.requests()).filter((url) => !url.startsWith(page.origin) && !/^(blob|data):/.test(url));
      assert.deepEqual(outside, []);
      const consoleErrors = await page.consoleErrors();
      if (consoleErrors === null) return t.skip(`console errors not checked: ${page.limits.consoleErrors}`);
      assert.deepEqual(consoleErrors, []);
    });
  });
}
