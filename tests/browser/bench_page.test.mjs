// bench/browser.mjs's page still works: served cross-origin isolated, both
// libraries start their threaded builds on the threads asked for, TF.js's
// fused path agrees with its layers model, and one prediction of each
// returns. No timing is checked: the figures belong to the benchmark.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { serveBench } from '../../bench/browser/server.mjs';
import { CHROMIUM, CHROMIUM_ARGS, NO_BROWSER, chromiumOnly } from './helpers.mjs';

chromiumOnly('the benchmark page', 'bench/browser.mjs drives Chromium');

test('the benchmark page starts both libraries on 2 threads and predicts with each', { skip: NO_BROWSER, timeout: 180_000 }, async () => {
  const { server, url } = await serveBench();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL('bench/browser/bench.html?threads=2', url).href);
    await page.waitForFunction(() => window.benchLoaded === true, null, { timeout: 60_000 });
    const info = await page.evaluate(() => window.bench.setup());
    assert.equal(info.crossOriginIsolated, true);
    assert.equal(info.tanukiThreads, 2);
    assert.equal(info.tfjsThreads, 2);
    for (const lib of ['tanuki', 'tfjs', 'tfjs fused']) {
      const seconds = await page.evaluate((lib) => window.bench.inference(lib, 1), lib);
      assert.ok(seconds > 0, `${lib}: ${seconds}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
