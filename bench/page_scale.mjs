// The page with a large project, in headless Chromium: N photos (default
// 10,000) added to two classes, the page reloaded (the project must come back
// from IndexedDB whole), trained with the default settings, trained again on
// the same photos, a few photos predicted and the model downloaded. Reports
// each step's time and the peaks of the page's JS heap, the worker's
// WebAssembly heap and the storage IndexedDB uses (navigator.storage.estimate).
//
//   node bench/page_scale.mjs [--photos N] [--keep]
//
// The photos are the shared cats-vs-dogs photos (../shared/data, 1,800),
// repeated under distinct names as hard links in a temporary folder; where
// they are absent, generated JPEGs stand in (and the accuracy means nothing).
// Not a test: nothing here is asserted beyond each step finishing.
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

import { serve } from '../scripts/serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/browser/drivers/chromium.mjs';

const { values: args } = parseArgs({ options: { photos: { type: 'string', default: '10000' }, keep: { type: 'boolean', default: false } } });
const COUNT = Number(args.photos);
const LABELS = ['cat', 'dog'];
const DATA = fileURLToPath(new URL('../../shared/data/cats_vs_dogs/', import.meta.url));
const testId = (id) => `[data-testid="${id}"]`;
const work = mkdtempSync(join(tmpdir(), 'tanuki-page-scale-'));
const records = [];
const emit = (record) => {
  records.push(record);
  console.log(JSON.stringify(record));
};

/** Paths of `perClass` photos per label: the shared photos repeated under new names, or generated ones. */
async function photoFiles(perClass, page) {
  const files = {};
  const shared = LABELS.every((l) => existsSync(join(DATA, 'train', l)));
  for (const label of LABELS) {
    const dir = join(work, label);
    mkdirSync(dir);
    files[label] = [];
    if (shared) {
      const sources = ['train', 'val'].flatMap((split) => {
        const from = join(DATA, split, label);
        return existsSync(from) ? readdirSync(from).filter((f) => /\.jpe?g$/i.test(f)).sort().map((f) => join(from, f)) : [];
      });
      for (let i = 0; i < perClass; i++) {
        const path = join(dir, `${label}_${String(i).padStart(5, '0')}.jpg`);
        linkSync(sources[i % sources.length], path);
        files[label].push(path);
      }
    } else {
      const jpegs = await page.evaluate(generatedJpegs, { label, count: Math.min(perClass, 200) });
      for (let i = 0; i < perClass; i++) {
        const path = join(dir, `${label}_${String(i).padStart(5, '0')}.jpg`);
        writeFileSync(path, Buffer.from(jpegs[i % jpegs.length], 'base64'));
        files[label].push(path);
      }
    }
  }
  return { files, source: shared ? 'the shared cats-vs-dogs photos, repeated' : 'generated JPEGs' };
}

// Runs in the page: `count` JPEGs of stripes (cat) or dots (dog), base64.
async function generatedJpegs({ label, count }) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const canvas = new OffscreenCanvas(320, 240);
    const c = canvas.getContext('2d');
    c.fillStyle = `hsl(${(i * 47) % 360} 60% 50%)`;
    c.fillRect(0, 0, 320, 240);
    c.fillStyle = `hsl(${(i * 91) % 360} 60% 30%)`;
    for (let k = 0; k < 12; k++) {
      if (label === 'cat') c.fillRect(0, k * 20 + (i % 7), 320, 8);
      else {
        c.beginPath();
        c.arc((k * 53 + i * 7) % 320, (k * 37 + i * 11) % 240, 10 + (k % 4) * 4, 0, 2 * Math.PI);
        c.fill();
      }
    }
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 })).arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    out.push(btoa(text));
  }
  return out;
}

// The peaks, sampled every second while the steps run.
const peaks = { jsHeapBytes: 0, wasmHeapBytes: 0, storageBytes: 0 };
async function sample(page) {
  try {
    const { js, storage } = await page.evaluate(async () => ({
      js: performance.memory?.usedJSHeapSize ?? 0,
      storage: (await navigator.storage?.estimate?.())?.usage ?? 0,
    }));
    peaks.jsHeapBytes = Math.max(peaks.jsHeapBytes, js);
    peaks.storageBytes = Math.max(peaks.storageBytes, storage);
    for (const worker of page.workers().filter((w) => w.url().endsWith('/training.worker.js'))) {
      const memory = await worker.evaluate(() => self.tanukiMemory?.());
      if (memory) peaks.wasmHeapBytes = Math.max(peaks.wasmHeapBytes, memory.heapBytes);
    }
  } catch {
    // the page is navigating: the next sample
  }
}

async function timed(step, body) {
  const started = Date.now();
  await body();
  const seconds = (Date.now() - started) / 1000;
  emit({ step, seconds });
  return seconds;
}

const { server, url } = await serve({ port: 0 });
const profile = join(work, 'profile');
// --enable-precise-memory-info: performance.memory without its coarse buckets.
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
  acceptDownloads: true,
});
const page = context.pages()[0] ?? (await context.newPage());
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(error.message));
page.on('crash', () => pageErrors.push('the page crashed'));
const sampler = setInterval(() => sample(page), 1000);
const ready = () => page.locator(testId('backbone-status')).getByText('Ready', { exact: false }).waitFor({ timeout: 120_000 });
const counted = (i, n, timeout = 1_800_000) => page.locator(testId('class-count')).nth(i).filter({ hasText: `${n.toLocaleString('en-US')} images` }).or(
  page.locator(testId('class-count')).nth(i).filter({ hasText: `${n} images` })).waitFor({ timeout });
const trained = async () => {
  await page.locator(testId('progress')).getByText(/^Trained in/).waitFor({ timeout: 3_600_000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid="train"]').disabled, null, { timeout: 60_000 });
};
try {
  await page.goto(url);
  await ready();
  const perClass = Math.ceil(COUNT / LABELS.length);
  const { files, source } = await photoFiles(perClass, page);
  emit({ step: 'photos', count: perClass * LABELS.length, source, chromium: await context.browser()?.version?.() });

  const addStarted = await page.evaluate(() => performance.now());
  await timed('add photos', async () => {
    for (const [i, label] of LABELS.entries()) {
      if (i > 0) await page.click(testId('add-class'));
      await page.locator(testId('class-name')).nth(i).fill(label);
      await page.locator(testId('class-name')).nth(i).press('Enter');
      await page.locator(testId('class-files')).nth(i).setInputFiles(files[label]);
      await counted(i, perClass);
    }
    // Until the page has stored them all ("Saving images…"), a reload would lose the rest.
    await page.waitForFunction(() => !document.documentElement.hasAttribute('data-saving'), null, { timeout: 1_800_000 });
  });
  // The main thread's long tasks (over 50 ms, as Chromium reports them) while the photos went in.
  const longTasks = await page.evaluate((from) => (window.tanukiLongTasks ?? []).filter((t) => t.start >= from).map((t) => t.duration), addStarted);
  emit({ step: 'long tasks while adding', count: longTasks.length, longestMs: longTasks.length ? Math.max(...longTasks) : 0, over200ms: longTasks.filter((d) => d > 200).length });
  await sample(page);

  await timed('reload (project back from IndexedDB)', async () => {
    await page.reload({ timeout: 600_000 });
    await ready();
    for (const i of LABELS.keys()) await counted(i, perClass, 600_000);
  });

  const first = await timed('train (features + settings + head)', async () => {
    await page.click(testId('train'));
    await trained();
  });
  const accuracy = await page.locator(testId('progress')).textContent();
  emit({ step: 'trained', progress: accuracy.trim().replace(/\s+/g, ' ') });
  const second = await timed('train again, same photos', async () => {
    await page.click(testId('train'));
    await trained();
  });
  emit({ step: 'second train / first', ratio: +(second / first).toFixed(3) });
  await timed('reload, then train (features from IndexedDB)', async () => {
    await page.reload({ timeout: 600_000 });
    await ready();
    for (const i of LABELS.keys()) await counted(i, perClass, 600_000);
    await page.click(testId('train'));
    await trained();
  });

  await timed('predict 20 photos', async () => {
    const picks = LABELS.flatMap((l) => files[l].slice(0, 10));
    await page.locator(testId('predict-files')).setInputFiles(picks);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="prediction"]').length >= n, picks.length, { timeout: 300_000 });
  });

  await timed('download the model', async () => {
    const downloads = [];
    const done = new Promise((resolve) => {
      page.on('download', async (download) => {
        const path = join(work, download.suggestedFilename());
        await download.saveAs(path);
        downloads.push({ name: download.suggestedFilename(), bytes: statSync(path).size });
        if (downloads.length === 3) resolve();
      });
    });
    await page.click(testId('export-model'));
    await done;
    emit({ step: 'model files', files: downloads });
  });
  await sample(page);
} catch (error) {
  // What the page showed when a step did not finish.
  const shown = await page.evaluate(() => ({
    errors: Array.from(document.querySelectorAll('[data-testid="error"] li'), (li) => li.textContent),
    counts: Array.from(document.querySelectorAll('[data-testid="class-count"]'), (el) => el.textContent),
    progress: document.querySelector('[data-testid="progress"]')?.textContent.trim().replace(/\s+/g, ' '),
    backbone: document.querySelector('[data-testid="backbone-status"]')?.textContent.trim().replace(/\s+/g, ' '),
  })).catch((reason) => ({ unreadable: String(reason) }));
  emit({ step: 'failed', error: error.message.split('\n')[0], shown });
  process.exitCode = 1;
} finally {
  clearInterval(sampler);
  emit({
    step: 'peaks',
    jsHeapMB: Math.round(peaks.jsHeapBytes / 2 ** 20),
    wasmHeapMB: Math.round(peaks.wasmHeapBytes / 2 ** 20),
    storageMB: Math.round(peaks.storageBytes / 2 ** 20),
    pageErrors,
  });
  await context.close();
  await new Promise((resolve) => server.close(resolve));
  if (!args.keep) rmSync(work, { recursive: true, force: true });
}

console.log('\n| step | seconds |\n|---|---|');
for (const r of records.filter((r) => r.seconds !== undefined)) console.log(`| ${r.step} | ${r.seconds.toFixed(1)} |`);
