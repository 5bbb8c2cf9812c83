// The page's worker keeps the features of the project's images across Train
// clicks, and in IndexedDB across reloads: training again on the same images
// computes none, adding one image computes only that one, and after a reload
// the stored features serve.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NO_BROWSER, backboneReady, chromiumOnly, errorMessages, openPage, reloadWhenSaved } from './helpers.mjs';
import { photoSets } from './photos.mjs';

const PER_CLASS = 8;

chromiumOnly('features across Train clicks', "it counts the feature computations inside the page's worker through Playwright's worker handle; the Firefox and WebKit drivers give no handle on a page's worker");

describe('features across Train clicks', { skip: NO_BROWSER }, () => {
  let session;
  let page;
  let photos;

  before(async () => {
    session = await openPage();
    page = session.page;
    await backboneReady(page);
    photos = await photoSets(page, { trainCount: PER_CLASS, testCount: 1, generated: true });
  });

  after(async () => {
    await session?.close();
  });

  const computed = () => {
    const [worker] = page.workers().filter((w) => w.url().endsWith('/app/worker/training.worker.js'));
    return worker.evaluate(() => self.tanukiFeatureComputations());
  };

  async function train() {
    await page.getByTestId('train').click();
    await page.getByTestId('progress').getByText(/^Trained in/).waitFor({ timeout: 180_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid="train"]').disabled);
  }

  test('a second Train click recomputes no feature; a new image is the only one computed', async () => {
    // Augmentation off: every image then has exactly one row of features to count.
    await page.locator('select[name="augment"]').selectOption('false');
    for (const [i, label] of photos.labels.entries()) await page.getByTestId('class-files').nth(i).setInputFiles(photos.train[label]);
    for (const i of [0, 1]) await page.getByTestId('class-count').nth(i).filter({ hasText: `${PER_CLASS} images` }).waitFor();
    await train();
    assert.equal(await computed(), 2 * PER_CLASS);
    await train();
    assert.equal(await computed(), 2 * PER_CLASS, 'the second training computed features again');
    await page.getByTestId('class-files').nth(0).setInputFiles(photos.test[photos.labels[0]]);
    await page.getByTestId('class-count').nth(0).filter({ hasText: `${PER_CLASS + 1} images` }).waitFor();
    await train();
    assert.equal(await computed(), 2 * PER_CLASS + 1);
    assert.deepEqual(await errorMessages(page), []);
  });

  test('after a reload, Train computes no feature: they come back from IndexedDB', async () => {
    await reloadWhenSaved(page);
    await backboneReady(page);
    await page.getByTestId('class-count').nth(0).filter({ hasText: `${PER_CLASS + 1} images` }).waitFor();
    // A fresh worker: its count starts again from zero.
    await train();
    assert.equal(await computed(), 0, 'features were computed again after the reload');
    // One record per image (augmentation is off: one view each).
    const stored = () => page.evaluate(() => new Promise((resolve, reject) => {
      const request = indexedDB.open('tanuki-features');
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const count = request.result.transaction('features').objectStore('features').count();
        count.onsuccess = () => resolve(count.result);
        count.onerror = () => reject(count.error);
      };
    }));
    assert.equal(await stored(), 2 * PER_CLASS + 1);
    // A removed image's features leave the store at the next training.
    await page.getByRole('button', { name: /^Remove image 1 / }).first().click();
    await page.getByTestId('class-count').nth(0).filter({ hasText: `${PER_CLASS} images` }).waitFor();
    await train();
    assert.equal(await stored(), 2 * PER_CLASS);
    assert.equal(await computed(), 0);
    assert.deepEqual(await errorMessages(page), []);
  });
});
