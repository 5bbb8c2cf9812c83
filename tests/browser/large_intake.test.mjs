// Adding hundreds of images to the page: a progress bar with a count and a
// Stop button while they are checked, no long main-thread task, each image
// stored with a small thumbnail that is only loaded near view, a Stop that
// keeps what was checked (after a reload too), the storage figures, and a
// large photo kept as it is beside the smaller copy training decodes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { NO_BROWSER, RESULTS, backboneReady, chromiumOnly, errorMessages, openPage, reloadWhenSaved, savedToStorage } from './helpers.mjs';

const COUNT = 300;

chromiumOnly('adding hundreds of images', 'it reads long tasks (the longtask entries only Chromium reports) and the IndexedDB records through Playwright');

// Runs in the page: `count` noisy 320x240 JPEGs (photo-like in size: noise
// does not compress) as window.testPhotos.
async function makePhotos({ count }) {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const photos = [];
  for (let i = 0; i < count; i++) {
    const canvas = new OffscreenCanvas(320, 240);
    const context = canvas.getContext('2d');
    const pixels = context.createImageData(320, 240);
    const base = [random() * 255, random() * 255, random() * 255];
    for (let p = 0; p < pixels.data.length; p += 4) {
      for (let c = 0; c < 3; c++) pixels.data[p + c] = base[c] + (random() - 0.5) * 160;
      pixels.data[p + 3] = 255;
    }
    context.putImageData(pixels, 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    photos.push(new File([blob], `photo.${i}.jpg`, { type: 'image/jpeg' }));
  }
  window.testPhotos = photos;
}

// Runs in the page: chooses window.testPhotos (or the photos named by
// `which`) in class `nth`'s file input, as the file picker does.
function choosePhotos({ nth, which = 'testPhotos' }) {
  const input = document.querySelectorAll('[data-testid="class-files"]')[nth];
  const chosen = new DataTransfer();
  for (const file of window[which]) chosen.items.add(file);
  input.files = chosen.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

// Runs in the page: the stored image records: {blob, thumbnail} sizes and
// types, the training copy's type and dimensions.
async function storedImages() {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('tanuki');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const records = await new Promise((resolve, reject) => {
    const request = db.transaction(['images'], 'readonly').objectStore('images').getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  db.close();
  records.sort((a, b) => a.order - b.order);
  const dimensions = async (blob) => {
    const bitmap = await createImageBitmap(blob);
    const { width, height } = bitmap;
    bitmap.close();
    return { type: blob.type, width, height };
  };
  return Promise.all(records.map(async (r) => ({
    classId: r.classId,
    size: r.blob.size,
    thumbnail: r.thumbnail instanceof Blob ? { size: r.thumbnail.size, type: r.thumbnail.type } : null,
    trainingCopy: r.trainingCopy instanceof Blob ? await dimensions(r.trainingCopy) : null,
    name: r.name,
  })));
}

describe('adding hundreds of images', { skip: NO_BROWSER }, () => {
  let session;
  let page;

  before(async () => {
    session = await openPage();
    page = session.page;
    await backboneReady(page);
    await page.evaluate(makePhotos, { count: COUNT });
  });

  after(async () => {
    await session?.close();
  });

  const counts = () => page.getByTestId('class-count').allTextContents();
  const saved = () => savedToStorage(page);

  test('the files are checked with a count and a Stop button, added in short tasks, all of them', async () => {
    await page.evaluate(() => {
      const texts = (window.intakeTexts = []);
      const target = document.querySelector('#intake-text');
      new MutationObserver(() => texts.push(target.textContent)).observe(target, { childList: true, characterData: true, subtree: true });
    });
    const started = await page.evaluate(() => performance.now());
    await page.evaluate(choosePhotos, { nth: 0 });
    await page.getByTestId('intake').waitFor({ state: 'visible' });
    assert.equal(await page.getByRole('button', { name: 'Stop adding images' }).isVisible(), true);
    assert.equal(await page.locator('#intake-progress').getAttribute('aria-labelledby'), 'intake-text');
    await page.getByTestId('class-count').nth(0).filter({ hasText: `${COUNT} images` }).waitFor({ timeout: 120_000 });
    await page.getByTestId('intake').waitFor({ state: 'hidden' });
    const finished = await page.evaluate(() => performance.now());

    const texts = await page.evaluate(() => window.intakeTexts);
    const shown = texts.map((t) => t.match(/^Adding images: (\d+) of 300$/)).filter(Boolean).map((m) => Number(m[1]));
    assert.ok(shown.some((n) => n > 0 && n < COUNT), `a count on the way: ${texts.slice(0, 5)}`);
    assert.ok(shown.includes(COUNT), 'the count reaches the total');
    assert.deepEqual(shown, [...shown].sort((a, b) => a - b), 'the count only grows');
    assert.equal(await page.locator('#intake-status').textContent(), `Done adding: ${COUNT} images added.`);
    assert.deepEqual(await counts(), [`${COUNT} images`, '0 images']);

    const longTasks = await page.evaluate(([from, to]) => window.tanukiLongTasks.filter((t) => t.start >= from && t.start <= to), [started, finished]);
    assert.deepEqual(longTasks.filter((t) => t.duration > 200), [], 'no main-thread task over 200 ms while adding');
    assert.deepEqual(await errorMessages(page), []);
  });

  test('each image is stored with a thumbnail much smaller than itself', async () => {
    await saved();
    const records = await page.evaluate(storedImages);
    assert.equal(records.length, COUNT);
    assert.ok(records.every((r) => r.trainingCopy === null), 'photos of 320 x 240 train on themselves');
    const mean = (values) => Math.round(values.reduce((a, b) => a + b, 0) / values.length);
    console.log(`# images ${mean(records.map((r) => r.size))} B on average, thumbnails ${mean(records.map((r) => r.thumbnail?.size ?? 0))} B`);
    for (const { size, thumbnail } of records) {
      assert.ok(thumbnail, 'a thumbnail is stored');
      assert.equal(thumbnail.type, 'image/jpeg');
      assert.ok(thumbnail.size * 5 < size, `thumbnail ${thumbnail.size} B for an image of ${size} B`);
    }
  });

  test('only thumbnails near the visible part of a class are loaded', async () => {
    const loaded = () =>
      page.evaluate(() => {
        const list = document.querySelector('.thumbs');
        const box = list.getBoundingClientRect();
        const images = Array.from(list.querySelectorAll('img'));
        return {
          total: images.length,
          loaded: images.filter((img) => img.src).map((img) => {
            const { top, bottom } = img.getBoundingClientRect();
            return { src: img.src, near: bottom >= box.top - box.height - 1 && top <= box.bottom + box.height + 1 };
          }),
          last: !!images.at(-1).src,
        };
      });
    await page.waitForFunction(() => document.querySelector('.thumbs img[src]'));
    const top = await loaded();
    assert.equal(top.total, COUNT);
    console.log(`# ${top.loaded.length} of ${COUNT} thumbnails loaded before scrolling`);
    assert.ok(top.loaded.length > 0 && top.loaded.length < COUNT, `${top.loaded.length} of ${COUNT} loaded`);
    assert.ok(top.loaded.every((t) => t.near && t.src.startsWith('blob:')), 'each loaded thumbnail is near view');
    assert.equal(top.last, false);

    await page.evaluate(() => {
      const list = document.querySelector('.thumbs');
      list.scrollTop = list.scrollHeight;
    });
    await page.waitForFunction(() => !!Array.from(document.querySelectorAll('.thumbs')[0].querySelectorAll('img')).at(-1).src);
    await page.screenshot({ path: join(RESULTS, 'large-intake.png') });
  });

  test('Stop keeps the images checked so far, also after a reload', async () => {
    // Stop is pressed once the count passes 60, whatever the speed of the machine.
    await page.evaluate(() => {
      const target = document.querySelector('#intake-text');
      const observer = new MutationObserver(() => {
        const done = Number(target.textContent.match(/^Adding images: (\d+) of/)?.[1]);
        if (done >= 60) {
          observer.disconnect();
          document.querySelector('[data-testid="intake-stop"]').click();
        }
      });
      observer.observe(target, { childList: true, characterData: true, subtree: true });
    });
    await page.evaluate(choosePhotos, { nth: 1 });
    await page.getByTestId('intake').waitFor({ state: 'visible' });
    await page.getByTestId('intake').waitFor({ state: 'hidden', timeout: 120_000 });
    const kept = Number((await counts())[1].match(/^(\d+) images$/)[1]);
    console.log(`# Stop at 60 checked kept ${kept} images`);
    assert.ok(kept >= 60 && kept < COUNT, `${kept} images kept`);
    assert.equal(await page.locator('#intake-status').textContent(), `Stopped adding: ${kept} images added.`);

    await saved();
    assert.equal((await page.evaluate(storedImages)).length, COUNT + kept);
    await reloadWhenSaved(page);
    await backboneReady(page);
    assert.deepEqual(await counts(), [`${COUNT} images`, `${kept} images`]);
    // The stored thumbnails are shown after the reload.
    await page.waitForFunction(() => document.querySelectorAll('.thumbs')[1]?.querySelector('img[src^="blob:"]'));
    assert.deepEqual(await errorMessages(page), []);
  });

  test('the storage line shows the use and what the browser answered about persistence', async () => {
    const persisted = await page.evaluate(() => navigator.storage.persisted());
    await page.waitForFunction((answer) => document.querySelector('#storage-persistence')?.dataset.persisted === String(answer), persisted);
    assert.equal(await page.getByTestId('storage-use').isVisible(), true);
    const usage = await page.locator('#storage-usage').textContent();
    const [, used, unit] = usage.match(/^Storage: ([\d.]+) (B|kB|MB|GB) used of [\d.]+ (?:MB|GB|TB|PB) available to this page\.$/) ?? [];
    console.log(`# ${usage} ${await page.locator('#storage-persistence').textContent()}`);
    assert.ok(used, usage);
    // The photos alone are megabytes.
    assert.ok(unit === 'GB' || (unit === 'MB' && Number(used) >= 1), usage);
    assert.match(await page.locator('#storage-persistence').textContent(), persisted ? /\(persistent storage\)/ : /\(storage is not persistent\)/);
  });

  test('a project file opened again shows its thumbnails, made and stored when shown', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-project').click()]);
    const file = join(RESULTS, 'large-intake.tanuki');
    await download.saveAs(file);
    await page.locator('#import-project').setInputFiles(file);
    await page.locator('#notice').filter({ hasText: 'Opened large-intake.tanuki' }).waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector('.thumbs img[src^="blob:"]'), null, { timeout: 60_000 });
    // The records opened from the file had no thumbnail: those shown get one, stored as it is made.
    const shown = await page.evaluate(() => document.querySelectorAll('.thumbs img[src]').length);
    let stored = 0;
    for (let tries = 0; tries < 300 && stored < shown; tries++) {
      if (tries) await new Promise((resolve) => setTimeout(resolve, 100));
      stored = (await page.evaluate(storedImages)).filter((r) => r.thumbnail).length;
    }
    const records = await page.evaluate(storedImages);
    const withThumbnail = records.filter((r) => r.thumbnail).length;
    assert.ok(withThumbnail >= shown && withThumbnail < records.length, `${withThumbnail} of ${records.length} have a thumbnail, ${shown} are shown`);
    assert.deepEqual(await errorMessages(page), []);
  });

  test('a large photo is kept as it is and trains from a copy at most 1,024 pixels on its long side', async () => {
    const sizes = await page.evaluate(async () => {
      const photo = async (width, height, name) => {
        const canvas = new OffscreenCanvas(width, height);
        const context = canvas.getContext('2d');
        context.fillStyle = '#3a6';
        context.fillRect(0, 0, width, height);
        context.fillStyle = '#c42';
        context.fillRect(width / 4, height / 4, width / 2, height / 2);
        return new File([await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 })], name, { type: 'image/jpeg' });
      };
      window.largePhotos = [await photo(2400, 1600, 'large.jpg'), await photo(1024, 700, 'bounded.jpg')];
      return window.largePhotos.map((f) => f.size);
    });
    const before = (await page.evaluate(storedImages)).length;
    await page.evaluate(choosePhotos, { nth: 0, which: 'largePhotos' });
    await page.waitForFunction((n) => document.querySelectorAll('.thumbs li').length >= n, before + 2, { timeout: 60_000 });
    await saved();
    const added = (await page.evaluate(storedImages)).slice(-2);
    assert.deepEqual(added.map((r) => [r.name, r.size]), [['large.jpg', sizes[0]], ['bounded.jpg', sizes[1]]], 'the originals are stored unchanged');
    assert.deepEqual(added[0].trainingCopy, { type: 'image/jpeg', width: 1024, height: 683 });
    assert.equal(added[1].trainingCopy, null, 'an image within the bound trains on itself');

    // What Train hands the worker: the copy of the large photo, the bounded one itself.
    await page.evaluate(() => {
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (message, ...rest) {
        if (message?.type === 'train') {
          window.trainedOn = message.classes.flatMap((c) => c.images).filter((i) => /^(large|bounded)\.jpg$/.test(i.name)).map((i) => [i.name, i.blob.type, i.blob.size]);
        }
        return post.call(this, message, ...rest);
      };
    });
    const copySize = await page.evaluate(async () => {
      const db = await new Promise((resolve) => { const r = indexedDB.open('tanuki'); r.onsuccess = () => resolve(r.result); });
      const records = await new Promise((resolve) => { const r = db.transaction(['images']).objectStore('images').getAll(); r.onsuccess = () => resolve(r.result); });
      db.close();
      return records.find((r) => r.name === 'large.jpg').trainingCopy.size;
    });
    await page.getByTestId('train').click();
    await page.waitForFunction(() => window.trainedOn, null, { timeout: 60_000 });
    await page.getByTestId('stop').click();
    assert.deepEqual(await page.evaluate(() => window.trainedOn), [['large.jpg', 'image/jpeg', copySize], ['bounded.jpg', 'image/jpeg', sizes[1]]]);
    await page.getByTestId('train').and(page.locator(':not([disabled])')).waitFor({ timeout: 120_000 });
    assert.deepEqual(await errorMessages(page), []);
  });
});
