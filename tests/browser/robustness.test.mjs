// Failures are visible messages and the page carries on; the page works from
// the keyboard and at phone width. In Chromium, Firefox and WebKit (the
// content security policy, in every engine: phone.test.mjs).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { engines, openEngine } from './drivers/index.mjs';
import { RESULTS } from './helpers.mjs';
import { photoSets } from './photos.mjs';

const testId = (id) => `[data-testid="${id}"]`;
const ERRORS = `${testId('error')} li`;

// Runs in the page: a small drawn image as bytes, in the format asked for
// (an engine that cannot encode it hands back PNG).
async function drawnImage({ size, type }) {
  const canvas = Object.assign(document.createElement('canvas'), { width: size, height: size });
  canvas.getContext('2d').fillRect(0, 0, size / 2, size);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, type));
  return { type: blob.type, bytes: Array.from(new Uint8Array(await blob.arrayBuffer())) };
}

for (const { name: engine, skip } of engines()) {
  describe(`the page under failures and attacks (${engine})`, { skip }, () => {
    let page;

    before(async () => {
      page = await openEngine(engine, { viewport: { width: 375, height: 800 } });
      await page.waitForText(testId('backbone-status'), 'Ready', { timeout: 60_000 });
    });

    after(async () => {
      await page?.close();
    });

    /** The last message of the error panel, once there is one; the panel is dismissed. */
    async function lastError() {
      await page.waitForSelector(ERRORS);
      const messages = await page.texts(ERRORS);
      await page.click('#error-dismiss');
      return messages.at(-1);
    }

    test('a corrupt image and a file that is no image are reported, the others kept', async () => {
      await page.setFiles(testId('class-files'), [
        { name: 'broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]) },
        { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') },
      ]);
      await page.waitForSelector(`${ERRORS}:nth-child(2)`);
      const messages = await page.texts(ERRORS);
      assert.ok(messages.some((m) => /broken\.jpg cannot be read/.test(m)), messages.join('\n'));
      assert.ok(messages.some((m) => /notes\.txt is not an image/.test(m)), messages.join('\n'));
      await page.click('#error-dismiss');
      assert.equal(await page.text(testId('class-count')), '0 images');

      // A WebP, which the classifier's decoder does not read, is converted and kept.
      const webp = await page.evaluate(drawnImage, { size: 32, type: 'image/webp' });
      await page.setFiles(testId('class-files'), { name: 'square.webp', mimeType: webp.type, buffer: Buffer.from(webp.bytes) });
      await page.waitForText(testId('class-count'), '1 image');
    });

    test('training or predicting too early explains what is missing', async () => {
      await page.click(testId('train'));
      assert.match(await lastError(), /at least two classes with images/);
      const png = await page.evaluate(drawnImage, { size: 8, type: 'image/png' });
      await page.setFiles(testId('predict-files'), { name: 'early.png', mimeType: 'image/png', buffer: Buffer.from(png.bytes) });
      assert.match(await lastError(), /no trained model yet/);
    });

    test('images dropped on a class are added to it', async () => {
      await page.evaluate(async () => {
        const canvas = Object.assign(document.createElement('canvas'), { width: 40, height: 40 });
        canvas.getContext('2d').fillRect(0, 0, 20, 40);
        const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
        const transfer = new DataTransfer();
        transfer.items.add(new File([blob], 'dropped.png', { type: 'image/png' }));
        const card = document.querySelectorAll('.class-card')[1];
        for (const type of ['dragenter', 'dragover', 'drop']) card.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      });
      await page.waitForText(testId('class-count'), '1 image', { nth: 1 });
    });

    test('Stop ends a training and the page carries on', async () => {
      // Enough images that computing their features outlasts the click on Stop, with threads too.
      const { train } = await photoSets(page, { trainCount: 80, testCount: 0, generated: true });
      await page.setFiles(testId('class-files'), train.stripes, 0);
      await page.setFiles(testId('class-files'), train.dots, 1);
      await page.waitForText(testId('class-count'), '81 images', { nth: 1 });
      await page.click(testId('train'));
      await page.waitForText(testId('progress'), 'Computing features');
      await page.click(testId('stop'));
      await page.waitForText(testId('progress'), 'Stopped before the first epoch ended', { timeout: 60_000 });
      assert.equal(await page.disabled(testId('train')), false);
      assert.equal(await page.disabled(testId('stop')), true);
      assert.deepEqual(await page.texts(ERRORS), []);
    });

    test('a backbone that will not load is reported and the bundled one stays', async () => {
      await page.click('.backbone-choice summary');
      await page.fill('#backbone-url', `${page.origin}/dist/models/missing/model.json`);
      await page.click('#backbone-url-form button');
      assert.match(await lastError(), /The backbone cannot be loaded: .*404/);
      assert.match(await page.text(testId('backbone-status')), /Ready: MobileNetV2/);
    });

    test('a model or a project file that cannot be read is reported', async () => {
      await page.setFiles('#import-model', [
        { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('{"modelTopology": 42') },
        { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(8) },
      ]);
      assert.match(await lastError(), /The model cannot be opened: model\.json is not valid JSON/);

      const wrongClass = { modelTopology: { class_name: 'Nope' }, weightsManifest: [], userDefinedMetadata: { classNames: ['a', 'b'] } };
      await page.setFiles('#import-model', [{ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(wrongClass)) }]);
      assert.match(await lastError(), /The model cannot be opened: /);

      await page.setFiles('#import-project', { name: 'holiday.tanuki', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\x03\x04 certainly not a project') });
      assert.match(await lastError(), /holiday\.tanuki cannot be opened: .*not a readable Tanuki project file/);
      assert.equal(await page.count(testId('class-name')), 2, 'the project is unchanged');
    });

    test('controls are labelled and the classes can be edited from the keyboard', async () => {
      const unlabelled = await page.evaluate(() =>
        Array.from(document.querySelectorAll('button, input, select, canvas'))
          .filter((el) => !el.closest('[hidden], template'))
          .filter((el) => !(el.getAttribute('aria-label') || el.labels?.length || el.textContent.trim() || el.closest('label')))
          .map((el) => el.outerHTML.slice(0, 80)),
      );
      assert.deepEqual(unlabelled, []);

      // Enter on "Add a class" puts the caret in the new class's name.
      await page.press(testId('add-class'), 'Enter');
      await page.waitFor(() => document.querySelectorAll('[data-testid="class-name"]').length === 3);
      assert.equal(await page.evaluate(() => document.activeElement === document.querySelectorAll('[data-testid="class-name"]')[2]), true);
      await page.fill(testId('class-name'), 'Raccoon dogs', 2);
      await page.press(testId('class-name'), 'Enter', 2);
      assert.equal(await page.value(testId('class-name'), 2), 'Raccoon dogs');
      // Tab from the name reaches the class's own controls.
      await page.press(testId('class-name'), 'Tab', 2);
      assert.equal(await page.evaluate(() => document.activeElement.dataset.testid ?? null), 'class-files');

      // A duplicate name is refused with a message and the old name comes back.
      await page.fill(testId('class-name'), 'Class 1', 2);
      await page.press(testId('class-name'), 'Enter', 2);
      assert.match(await lastError(), /already a class named “Class 1”/);
      assert.equal(await page.value(testId('class-name'), 2), 'Raccoon dogs');

      await page.press('.delete-class', 'Enter', 2);
      await page.waitFor(() => document.querySelectorAll('[data-testid="class-name"]').length === 2);
    });

    test('the page fits a phone-width screen', async () => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${overflow} px wider than the screen`);
      await page.screenshot(join(RESULTS, `phone-${engine}.png`));
    });

    test('no request left the origin', async () => {
      const foreign = (await page.requests()).filter((url) => !url.startsWith(`${page.origin}/`) && !/^(blob|data):/.test(url));
      assert.deepEqual(foreign, []);
    });
  });
}
