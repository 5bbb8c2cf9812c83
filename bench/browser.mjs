// Tanuki against TensorFlow.js 4.22's wasm backend inside headless Chromium,
// on the bundled MobileNetV2: inference at batch 1 and 32, fine-tuning steps,
// head-only training, and the time from loading the library to the first
// prediction on a cold and a warm page. The counterpart of bench/run.mjs's
// Node figures (run.mjs runs this too, unless --no-browser).
//
//   node bench/browser.mjs            everything (3 to 5 minutes on 2 cores)
//   node bench/browser.mjs --summary FILE   the table again, from a run's saved output
//
// Both libraries share one page per thread count (bench/browser/bench.html):
// 1 thread is Tanuki's single-threaded build and TF.js's SIMD build; 2
// threads both threaded builds, which need the page cross-origin isolated
// (bench/browser/server.mjs). Within each round the libraries take turns, so
// that a busy machine slows both alike; timings are the best round after a
// warm-up (V8 optimizes WebAssembly only after the first calls). The time to
// the first prediction gets a page of its own per library
// (bench/browser/first_prediction.html): cold in a fresh browser context
// (empty HTTP cache), warm on the next visits in the same context.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/browser/drivers/chromium.mjs';
import { serveBench } from './browser/server.mjs';
import { browserSummary } from './browser/summary.mjs';

const MACS_PER_IMAGE = 299.5e6;
const THREAD_COUNTS = [1, 2];
const COLD_RUNS = 3;
const WARM_VISITS = 2;

const threadLabel = (n) => `${n} thread${n > 1 ? 's' : ''}`;
const tanukiLabel = (n) => `tanuki ${threadLabel(n)}`;
const tfjsLabel = (n) => `tfjs wasm ${threadLabel(n)}`;

function emit(record) {
  const out = { env: 'chromium', ...record };
  console.log(JSON.stringify(out));
  return out;
}

/** A fresh context (its own empty HTTP cache) with its page errors recorded. */
async function newPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  const responses = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('response', (response) => responses.push({ url: response.url(), status: response.status() }));
  return { context, page, errors, responses };
}

async function waitInPage(page, errors, expression, what) {
  try {
    await page.waitForFunction(expression, null, { timeout: 180_000, polling: 100 });
  } catch (error) {
    throw new Error(`${what}: ${errors.join('; ') || error.message}`);
  }
}

// A call into the page that does not return within CALL_TIMEOUT_MS is
// recorded as hanging (TF.js's threaded build, aborting on a gradient it
// lacks, leaves the page's thread waiting for ever).
const CALL_TIMEOUT_MS = 90_000;

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not return within ${CALL_TIMEOUT_MS / 1000} s`)), CALL_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs each variant ({lib, task, call: [method, ...args], images}) `warmup`
 * times, then `runs` rounds in which every variant runs once in turn; emits
 * each one's best round. A variant that throws is recorded as failing.
 */
async function rounds(page, variants, { runs, warmup = 1 }) {
  const best = new Map(variants.map((v) => [v, Infinity]));
  const failed = new Map();
  const call = (v) => withTimeout(page.evaluate(([method, ...args]) => window.bench[method](...args), v.call), `${v.lib} ${v.task}`);
  for (let round = -warmup; round < runs; round++) {
    for (const v of variants) {
      if (failed.has(v)) continue;
      try {
        const t = await call(v);
        if (round >= 0) best.set(v, Math.min(best.get(v), t));
      } catch (error) {
        failed.set(v, String(error.message ?? error).replace(/^page\.evaluate: /, '').split('\n')[0].slice(0, 200));
      }
    }
  }
  return variants.map((v) => {
    if (failed.has(v)) return emit({ lib: v.lib, task: v.task, error: failed.get(v) });
    const seconds = best.get(v);
    const rates = v.images ? { imgPerSec: v.images / seconds } : {};
    const gmacs = v.task.startsWith('inference') ? { gmacs: (v.images * MACS_PER_IMAGE) / seconds / 1e9 } : {};
    return emit({ lib: v.lib, task: v.task, seconds, ...rates, ...gmacs });
  });
}

async function throughput(browser, url, threads) {
  const { context, page, errors, responses } = await newPage(browser);
  const records = [];
  try {
    await page.goto(new URL(`bench/browser/bench.html?threads=${threads}`, url).href);
    await waitInPage(page, errors, () => window.benchLoaded === true, 'the bench page did not load');
    const info = await page.evaluate(() => window.bench.setup());
    const tfjsWasm = responses.find((r) => r.url.includes('/tfjs-backend-wasm/dist/') && r.url.endsWith('.wasm'));
    records.push(emit({ lib: `chromium ${threadLabel(threads)}`, task: 'setup', ...info, tfjsWasm: tfjsWasm?.url.split('/').pop() }));
    const ours = tanukiLabel(threads), theirs = tfjsLabel(threads);
    for (const batch of [1, 32]) {
      const task = `inference b${batch}`;
      records.push(
        ...(await rounds(
          page,
          [
            { lib: ours, task, call: ['inference', 'tanuki', batch], images: batch },
            { lib: theirs, task, call: ['inference', 'tfjs', batch], images: batch },
            { lib: theirs, task: `${task} fused`, call: ['inference', 'tfjs fused', batch], images: batch },
          ],
          { runs: batch === 1 ? 5 : 3, warmup: batch === 1 ? 2 : 1 },
        )),
      );
    }
    for (const [task, from] of [['fine-tune step b8 all layers', undefined], ['fine-tune step b8 top block', 'block_16_expand']]) {
      records.push(...(await rounds(page, [{ lib: ours, task, call: ['fineTuneStep', 'tanuki', from], images: 8 }], { runs: 2 })));
    }
    const memory = await page.evaluate(() => window.bench.memory());
    records.push(emit({ lib: ours, task: 'peak memory', heapBytes: memory.heapBytes, usedBytes: memory.usedBytes }));
    records.push(
      ...(await rounds(
        page,
        [
          { lib: ours, task: 'head-only 10 epochs', call: ['headOnly', 'tanuki'] },
          { lib: theirs, task: 'head-only 10 epochs', call: ['headOnly', 'tfjs'] },
        ],
        { runs: 3 },
      )),
    );
    // Last, as bench/run.mjs does: on the wasm backend TF.js cannot take
    // MobileNetV2's gradients, and the attempt can abort its module. One try each.
    for (const [task, from] of [['fine-tune step b8 all layers', undefined], ['fine-tune step b8 top block', 'block_16_expand']]) {
      records.push(...(await rounds(page, [{ lib: theirs, task, call: ['fineTuneStep', 'tfjs', from], images: 8 }], { runs: 1, warmup: 0 })));
    }
  } catch (error) {
    records.push(emit({ lib: `chromium ${threadLabel(threads)}`, task: 'bench page', error: String(error.message ?? error).slice(0, 300) }));
  } finally {
    await context.close();
  }
  return records;
}

// One visit of the first-prediction page: its figures, and how many files
// the server sent and how many it answered 304 (the browser's cached copy).
async function visit(session, url, counts) {
  const { page, errors } = session;
  const before = { ...counts };
  errors.length = 0;
  await page.goto(url);
  await waitInPage(page, errors, () => window.firstPrediction || window.firstPredictionError, 'the first-prediction page did not finish');
  const { firstPrediction, firstPredictionError } = await page.evaluate(() => ({
    firstPrediction: window.firstPrediction,
    firstPredictionError: window.firstPredictionError,
  }));
  if (firstPredictionError) throw new Error(firstPredictionError);
  return { ...firstPrediction, filesSent: counts.sent - before.sent, filesNotModified: counts.notModified - before.notModified };
}

async function firstPrediction(browser, { url, counts }, lib, threads) {
  const label = lib === 'tanuki' ? tanukiLabel(threads) : tfjsLabel(threads);
  const pageUrl = new URL(`bench/browser/first_prediction.html?lib=${lib}&threads=${threads}`, url).href;
  const cold = [], warm = [];
  try {
    for (let run = 0; run < COLD_RUNS; run++) {
      const session = await newPage(browser);
      try {
        cold.push(await visit(session, pageUrl, counts));
        for (let i = 0; i < WARM_VISITS; i++) warm.push(await visit(session, pageUrl, counts));
      } finally {
        await session.context.close();
      }
    }
  } catch (error) {
    return [emit({ lib: label, task: 'first prediction', error: String(error.message ?? error).slice(0, 300) })];
  }
  const fastest = (visits) => visits.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return [
    emit({ lib: label, task: 'first prediction cold', ...fastest(cold), runs: cold.map((v) => v.seconds) }),
    emit({ lib: label, task: 'first prediction warm', ...fastest(warm), runs: warm.map((v) => v.seconds) }),
  ];
}

async function runBrowserBench() {
  const served = await serveBench();
  const { server, url } = served;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const records = [emit({ lib: 'chromium', task: 'version', version: browser.version() })];
  try {
    for (const threads of THREAD_COUNTS) records.push(...(await throughput(browser, url, threads)));
    for (const threads of THREAD_COUNTS)
      for (const lib of ['tanuki', 'tfjs']) records.push(...(await firstPrediction(browser, served, lib, threads)));
  } finally {
    await browser.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return records;
}

const saved = process.argv.indexOf('--summary');
if (saved >= 0) {
  const lines = readFileSync(process.argv[saved + 1], 'utf8').split('\n').filter((l) => l.startsWith('{'));
  console.log(browserSummary(lines.map((l) => JSON.parse(l))));
} else {
  console.log(browserSummary(await runBrowserBench()));
}
