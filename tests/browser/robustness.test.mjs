// Failures are visible messages and the page carries on; the content security
// policy holds; the page works from the keyboard and at phone width.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { backboneReady, errorMessages, NO_BROWSER, openPage, RESULTS } from './helpers.mjs';
import { photoSets } from './photos.mjs';

describe('the page under failures and attacks', { skip: NO_BROWSER }, () => {
  let session;
  let page;

  before(async () => {
    session = await openPage({ viewport: { width: 375, height: 800 } });
    page = session.page;
    await backboneReady(page);
  });

  after(async () => {
    await session?.close();
  });

  async function lastError() {
    await page.locator('[data-testid="error"] li').first().waitFor();
    const messages = await errorMessages(page);
    await page.locator('#error-dismiss').click();
    return messages.at(-1);
  }

  test('the content security policy is sent and blocks inline scripts, handlers and styles', async () => {
    const response = await page.reload();
    await backboneReady(page);
    assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
    const outcome = await page.evaluate(async () => {
      const violations = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const script = document.createElement('script');
      script.textContent = 'window.inlineScriptRan = true';
      document.body.append(script);
      const holder = document.createElement('div');
      holder.innerHTML = '<img src="data:," onerror="window.inlineHandlerRan = true"><p style="color: rgb(255, 0, 0)">x</p>';
      document.body.append(holder);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const styled = getComputedStyle(holder.querySelector('p')).color === 'rgb(255, 0, 0)';
      holder.remove();
      return { script: window.inlineScriptRan === true, handler: window.inlineHandlerRan === true, styled, violations };
    });
    assert.deepEqual({ script: outcome.script, handler: outcome.handler, styled: outcome.styled }, { script: false, handler: false, styled: false });
    assert.ok(outcome.violations.some((d) => d.startsWith('script-src')), `violations: ${outcome.violations}`);
  });

  test('a corrupt image and a file that is no image are reported, the others kept', async () => {
    const files = page.getByTestId('class-files').first();
    await files.setInputFiles([
      { name: 'broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]) },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') },
    ]);
    await page.locator('[data-testid="error"] li').nth(1).waitFor();
    const messages = await errorMessages(page);
    assert.ok(messages.some((m) => /broken\.jpg cannot be read/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /notes\.txt is not an image/.test(m)), messages.join('\n'));
    await page.locator('#error-dismiss').click();
    assert.equal(await page.getByTestId('class-count').first().textContent(), '0 images');

    // A WebP, which the classifier's decoder does not read, is converted and kept.
    const webp = await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(32, 32);
      canvas.getContext('2d').fillRect(0, 0, 16, 16);
      return Array.from(new Uint8Array(await (await canvas.convertToBlob({ type: 'image/webp' })).arrayBuffer()));
    });
    await files.setInputFiles({ name: 'square.webp', mimeType: 'image/webp', buffer: Buffer.from(webp) });
    await page.getByTestId('class-count').first().filter({ hasText: '1 image' }).waitFor();
  });

  test('training or predicting too early explains what is missing', async () => {
    await page.getByTestId('train').click();
    assert.match(await lastError(), /at least two classes with images/);
    const png = await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(8, 8);
      canvas.getContext('2d').fillRect(0, 0, 4, 4);
      return Array.from(new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer()));
    });
    await page.getByTestId('predict-files').setInputFiles({ name: 'early.png', mimeType: 'image/png', buffer: Buffer.from(png) });
    assert.match(await lastError(), /no trained model yet/);
  });

  test('images dropped on a class are added to it', async () => {
    await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(40, 40);
      canvas.getContext('2d').fillRect(0, 0, 20, 40);
      const file = new File([await canvas.convertToBlob({ type: 'image/png' })], 'dropped.png', { type: 'image/png' });
      const transfer = new DataTransfer();
      transfer.items.add(file);
      const card = document.querySelectorAll('.class-card')[1];
      for (const type of ['dragenter', 'dragover', 'drop']) card.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await page.getByTestId('class-count').nth(1).filter({ hasText: '1 image' }).waitFor();
  });

  test('Stop ends a training and the page carries on', async () => {
    // Enough images that computing their features outlasts the click on Stop, with threads too.
    const { train } = await photoSets(page, { trainCount: 80, testCount: 0, generated: true });
    await page.getByTestId('class-files').nth(0).setInputFiles(train.stripes);
    await page.getByTestId('class-files').nth(1).setInputFiles(train.dots);
    await page.getByTestId('class-count').nth(1).filter({ hasText: '81 images' }).waitFor();
    await page.getByTestId('train').click();
    await page.getByTestId('progress').getByText(/Computing features/).waitFor();
    await page.getByTestId('stop').click();
    await page.getByTestId('progress').getByText(/Stopped before the first epoch ended/).waitFor({ timeout: 60_000 });
    assert.ok(await page.getByTestId('train').isEnabled());
    assert.ok(await page.getByTestId('stop').isDisabled());
    assert.deepEqual(await errorMessages(page), []);
  });

  test('a backbone that will not load is reported and the bundled one stays', async () => {
    await page.locator('.backbone-choice summary').click();
    await page.locator('#backbone-url').fill(`${session.origin}/dist/models/missing/model.json`);
    await page.locator('#backbone-url-form button').click();
    assert.match(await lastError(), /The backbone cannot be loaded: .*404/);
    assert.match(await page.getByTestId('backbone-status').textContent(), /Ready: MobileNetV2/);
  });

  test('a model or a project file that cannot be read is reported', async () => {
    await page.locator('#import-model').setInputFiles([
      { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('{"modelTopology": 42') },
      { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(8) },
    ]);
    assert.match(await lastError(), /The model cannot be opened: model\.json is not valid JSON/);

    await page.locator('#import-model').setInputFiles([
      { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ modelTopology: { class_name: 'Nope' }, weightsManifest: [], userDefinedMetadata: { classNames: ['a', 'b'] } })) },
    ]);
    assert.match(await lastError(), /The model cannot be opened: /);

    await page.locator('#import-project').setInputFiles({ name: 'holiday.tanuki', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\x03\x04 certainly not a project') });
    assert.match(await lastError(), /holiday\.tanuki cannot be opened: .*not a readable Tanuki project file/);
    assert.equal(await page.getByTestId('class-name').count(), 2, 'the project is unchanged');
  });

  test('controls are labelled and the classes can be edited from the keyboard', async () => {
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll('button, input, select, canvas'))
        .filter((el) => !el.closest('[hidden], template'))
        .filter((el) => !(el.getAttribute('aria-label') || el.labels?.length || el.textContent.trim() || el.closest('label')))
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unlabelled, []);

    await page.getByTestId('add-class').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.type('Raccoon dogs');
    await page.keyboard.press('Enter');
    assert.equal(await page.getByTestId('class-name').nth(2).inputValue(), 'Raccoon dogs');
    // Tab from the name reaches the class's own controls.
    await page.getByTestId('class-name').nth(2).focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'class-files');

    // A duplicate name is refused with a message and the old name comes back.
    await page.getByTestId('class-name').nth(2).fill('Class 1');
    await page.getByTestId('class-name').nth(2).press('Enter');
    assert.match(await lastError(), /already a class named “Class 1”/);
    assert.equal(await page.getByTestId('class-name').nth(2).inputValue(), 'Raccoon dogs');

    await page.locator('.delete-class').nth(2).press('Enter');
    assert.equal(await page.getByTestId('class-name').count(), 2);
  });

  test('the page fits a phone-width screen', async () => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${overflow} px wider than the screen`);
    await page.screenshot({ path: join(RESULTS, 'phone.png'), fullPage: true });
  });

  test('no request left the origin', () => {
    const foreign = session.requests.filter((url) => !url.startsWith(`${session.origin}/`) && !/^(blob|data):/.test(url));
    assert.deepEqual(foreign, []);
  });
});
