// Seeing why the model errs: with the page's default (auto) settings, the
// trained head says what cross-validation chose, each confusion-matrix cell
// opens the held-out images it counts, and a deliberately mislabelled image
// is listed among the possible label mistakes with the class it looks like.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backboneReady, errorMessages, NO_BROWSER, openPage } from './helpers.mjs';
import { photoSets } from './photos.mjs';

const PER_CLASS = 14;

describe('why the model errs', { skip: NO_BROWSER }, () => {
  let session;
  let page;
  let photos;

  before(async () => {
    session = await openPage();
    page = session.page;
    await backboneReady(page);
    // Generated stripes and dots: classes the bundled backbone tells apart
    // for certain, so that the one wrong label is the only mistake to find.
    photos = await photoSets(page, { trainCount: PER_CLASS, testCount: 1, generated: true });
  });

  after(async () => {
    await session?.close();
  });

  test('a mislabelled image is listed as a possible label mistake; confusion cells show their images', async () => {
    const [first, second] = photos.labels;
    const wrong = { ...photos.test[second][0], name: 'mislabelled.png' };
    const names = page.getByTestId('class-name');
    for (const [i, label] of photos.labels.entries()) {
      await names.nth(i).fill(label);
      await names.nth(i).press('Enter');
    }
    await page.getByTestId('class-files').nth(0).setInputFiles([...photos.train[first], wrong]);
    await page.getByTestId('class-files').nth(1).setInputFiles(photos.train[second]);
    await page.getByTestId('class-count').nth(0).filter({ hasText: `${PER_CLASS + 1} images` }).waitFor();
    await page.getByTestId('class-count').nth(1).filter({ hasText: `${PER_CLASS} images` }).waitFor();
    assert.equal(await page.locator('input[name="epochs"]').inputValue(), '', 'epochs start on auto');
    assert.equal(await page.locator('select[name="augment"]').inputValue(), '', 'augmentation starts on auto');

    await page.getByTestId('train').click();
    await page.getByTestId('progress').getByText(/^Trained in/).waitFor({ timeout: 240_000 });
    assert.match(await page.locator('#fact-head').textContent(), /trained \d+ epochs at learning rate [\d.e-]+, dropout 0\.\d.*chosen by 3-fold cross-validation/);

    const mistakes = await page.getByTestId('label-mistakes').locator('figcaption').allTextContents();
    assert.ok(mistakes.length >= 1, 'at least one possible label mistake is listed');
    assert.match(mistakes[0], new RegExp(`^mislabelled\\.png: labelled ${first}, looks like ${second} \\(\\d+\\.\\d %\\)$`), `listed first: ${mistakes.join(' | ')}`);
    assert.equal(await page.getByTestId('label-mistakes').locator('img').count(), mistakes.length, 'each listed image is shown');

    // Each cell's button opens exactly the images it counts.
    const cells = page.getByTestId('confusion-cell');
    assert.ok((await cells.count()) >= 2, 'the held-out images fill at least the two diagonal cells');
    let shown = 0;
    for (let c = 0; c < (await cells.count()); c++) {
      const count = Number(await cells.nth(c).textContent());
      await cells.nth(c).click();
      assert.equal(await cells.nth(c).getAttribute('aria-pressed'), 'true');
      await page.getByTestId('cell-images').locator('p').filter({ hasText: new RegExp(`^${count} held-out`) }).waitFor();
      assert.equal(await page.getByTestId('cell-images').locator('img').count(), count);
      shown += count;
    }
    const summary = await page.locator('#report-summary').textContent();
    assert.equal(shown, Number(summary.match(/on (\d+) held-out/)[1]), 'the cells together hold every held-out image');
    assert.deepEqual(await errorMessages(page), []);
  });
});
