// <tanuki-classifier> on the embed demo page in Chromium: generated photos of
// two patterns go in through the element's file inputs, it trains in its
// worker, classifies a photo and fires progress, trained and prediction
// events; under the server's strict CSP, with no request leaving the origin.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { CHROMIUM, openPage } from './helpers.mjs';
import { photoSets } from './photos.mjs';

const EPOCHS = 3;
const PER_CLASS = 8;
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;

let session;
let page;
let element;

before(async () => {
  if (skip) return;
  session = await openPage();
  page = session.page;
  await page.goto(new URL('embed.html', session.url).href);
  element = page.locator('tanuki-classifier');
  // Every event the element fires, in order.
  await page.evaluate(() => {
    window.recorded = [];
    for (const type of ['progress', 'trained', 'prediction', 'error']) {
      document.querySelector('tanuki-classifier').addEventListener(type, (e) => window.recorded.push({ type, detail: e.detail }));
    }
  });
});

after(async () => {
  await session?.close();
});

const part = (name) => element.locator(`[part~="${name}"]`);

test('the element shows one card per class of its attribute, styled by the page through ::part()', { skip }, async () => {
  assert.deepEqual(await part('class-name').allTextContents(), ['cat', 'dog']);
  assert.ok(await part('train-button').isDisabled(), 'nothing to train on yet');
  assert.equal(await part('train-button').evaluate((b) => getComputedStyle(b).fontWeight), '600');
  await part('status').getByText('Ready:').waitFor({ timeout: 60_000 });
  assert.match(await part('status').textContent(), /MobileNetV2/);
});

test('photos in, training with progress, a prediction out, each announced by an event', { skip }, async () => {
  const photos = await photoSets(page, { trainCount: PER_CLASS, testCount: 1, generated: true });
  await page.evaluate(({ labels, epochs }) => {
    const el = document.querySelector('tanuki-classifier');
    el.setAttribute('classes', labels.join(','));
    el.setAttribute('epochs', String(epochs));
  }, { labels: photos.labels, epochs: EPOCHS });
  assert.deepEqual(await part('class-name').allTextContents(), photos.labels);

  for (const label of photos.labels) await element.locator(`input[data-class="${label}"]`).setInputFiles(photos.train[label]);
  assert.deepEqual(await part('count').allTextContents(), photos.labels.map(() => `${PER_CLASS} photos`));
  assert.equal(await part('thumbnail').count(), 2 * PER_CLASS);

  await part('train-button').click();
  await page.waitForFunction(() => window.recorded.some((e) => e.type === 'trained' || e.type === 'error'), null, { timeout: 180_000 });
  const recorded = await page.evaluate(() => window.recorded);
  assert.deepEqual(recorded.filter((e) => e.type === 'error'), []);
  const trained = recorded.find((e) => e.type === 'trained').detail;
  assert.deepEqual(trained.classNames, photos.labels);
  assert.equal(trained.epochs, EPOCHS);
  const progress = recorded.filter((e) => e.type === 'progress').map((e) => e.detail);
  assert.ok(progress.some((p) => p.phase === 'features' && p.fraction === 1), 'feature progress reached the end');
  assert.deepEqual(progress.filter((p) => p.phase === 'train').map((p) => p.epoch), [1, 2, 3]);
  assert.match(await part('status').textContent(), /Trained for 3 epochs/);

  const [label] = photos.labels;
  await part('predict-button').locator('input').setInputFiles(photos.test[label]);
  await page.waitForFunction(() => window.recorded.some((e) => e.type === 'prediction'), null, { timeout: 60_000 });
  const { detail } = (await page.evaluate(() => window.recorded)).find((e) => e.type === 'prediction');
  assert.equal(detail.name, photos.test[label][0].name);
  assert.deepEqual(detail.predictions.map((p) => p.className).sort(), [...photos.labels].sort());
  assert.ok(Math.abs(detail.predictions.reduce((s, p) => s + p.probability, 0) - 1) < 1e-4, 'probabilities sum to 1');
  // What the element shows is what the event says.
  assert.deepEqual(await part('prediction-class').allTextContents(), detail.predictions.map((p) => p.className));
  assert.match(await part('status').textContent(), new RegExp(`Looks like ${detail.predictions[0].className}`));
  assert.ok(await part('preview').isVisible());
  console.log(`# predicted ${detail.predictions.map((p) => `${p.className} ${(100 * p.probability).toFixed(1)}%`).join(', ')} for a '${label}' photo`);
  // The demo page lists the events too.
  assert.match(await page.locator('#events').textContent(), /trained: .* after 3 epochs[\s\S]*prediction: /);
});

test('nothing left the origin and nothing was logged as an error', { skip }, () => {
  const outside = session.requests.filter((url) => !url.startsWith(session.origin) && !/^(blob|data):/.test(url));
  assert.deepEqual(outside, []);
  assert.deepEqual(session.consoleErrors, []);
});
