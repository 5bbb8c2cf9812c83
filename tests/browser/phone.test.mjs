// The page at phone size in Chromium, Firefox and WebKit (one body, engines
// in sequence): what the engine offers Tanuki (cross-origin isolation,
// SharedArrayBuffer, so threads or not), the content security policy
// holding, the page fitting a narrow screen, and a short project made with
// taps and the file buttons only, no drag and drop.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { engines, openEngine } from './drivers/index.mjs';
import { RESULTS } from './helpers.mjs';
import { photoSets } from './photos.mjs';

const PER_CLASS = 6;
const PHONE = { width: 390, height: 844 };

const testId = (id) => `[data-testid="${id}"]`;

for (const { name: engine, skip } of engines()) {
  describe(`the page on a phone-sized screen (${engine})`, { skip }, () => {
    let page;
    let clock;

    before(async () => {
      clock = Date.now();
      page = await openEngine(engine, { viewport: PHONE, touch: true });
      await page.waitForText(testId('backbone-status'), 'Ready', { timeout: 60_000 });
      const [width, height] = await page.evaluate(() => [innerWidth, innerHeight]);
      console.log(`# ${engine}: viewport ${width} × ${height} CSS px (asked for ${PHONE.width} × ${PHONE.height})${page.limits.viewport ? `: ${page.limits.viewport}` : ''}`);
    });

    after(async () => {
      await page?.close();
      console.log(`# ${engine}: the phone-sized run took ${((Date.now() - clock) / 1000).toFixed(1)} s`);
    });

    test('the engine is cross-origin isolated and Tanuki uses threads exactly where SharedArrayBuffer exists', async () => {
      const offered = await page.evaluate(async () => {
        const { default: tanuki } = await import('/wasm/js/index.js');
        const tk = await tanuki.load();
        return {
          crossOriginIsolated: globalThis.crossOriginIsolated === true,
          sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
          offscreenCanvas: typeof OffscreenCanvas === 'function',
          threads: tk.threads,
          cores: navigator.hardwareConcurrency,
          userAgent: navigator.userAgent,
        };
      });
      console.log(`# ${engine}: ${JSON.stringify(offered)}`);
      assert.equal(offered.crossOriginIsolated, true);
      if (offered.sharedArrayBuffer && offered.cores > 1) assert.ok(offered.threads > 1, `threads: ${offered.threads}`);
      else assert.equal(offered.threads, 1, 'without SharedArrayBuffer the single-threaded build runs');
    });

    test('the content security policy is sent and blocks inline scripts, handlers and styles', async () => {
      const outcome = await page.evaluate(async () => {
        const policy = (await fetch(location.href)).headers.get('content-security-policy');
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
        return { policy, script: window.inlineScriptRan === true, handler: window.inlineHandlerRan === true, styled, violations };
      });
      assert.match(outcome.policy, /script-src 'self' 'wasm-unsafe-eval'/);
      assert.deepEqual({ script: outcome.script, handler: outcome.handler, styled: outcome.styled }, { script: false, handler: false, styled: false });
      assert.ok(outcome.violations.some((d) => d.startsWith('script-src')), `violations: ${outcome.violations}`);
    });

    test('the page fits the screen', async () => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${overflow} px wider than the screen`);
    });

    test('a project is made with taps and the file buttons: images, training, a prediction', async () => {
      const photos = await photoSets(page, { trainCount: PER_CLASS, testCount: 1, generated: true });
      for (const [i, label] of photos.labels.entries()) {
        await page.fill(testId('class-name'), label, i);
        await page.press(testId('class-name'), 'Enter', i);
        await page.setFiles(testId('class-files'), photos.train[label], i);
        await page.waitForText(testId('class-count'), `${PER_CLASS} images`, { nth: i, timeout: 30_000 });
      }
      // The buttons a finger reaches are on the screen and not covered.
      const reachable = await page.evaluate(() => {
        const button = document.querySelector('[data-testid="train"]');
        button.scrollIntoView({ block: 'center' });
        const box = button.getBoundingClientRect();
        return box.width >= 24 && box.height >= 24 && box.right <= innerWidth && document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2)?.closest('[data-testid="train"]') === button;
      });
      assert.ok(reachable, 'Train is at least 24 px and uncovered');
      await page.fill('input[name="epochs"]', 2);
      await page.blur('input[name="epochs"]');
      const tapped = await page.tap(testId('train'));
      await page.waitForText(testId('progress'), /Trained in/, { timeout: 120_000 });
      await page.setFiles(testId('predict-files'), photos.test[photos.labels[0]]);
      await page.waitFor(() => document.querySelectorAll('[data-testid="prediction"] .top-class').length === 1, null, { timeout: 60_000 });
      assert.ok(photos.labels.includes(await page.text('[data-testid="prediction"] .top-class')));
      assert.deepEqual(await page.texts(`${testId('error')} li`), []);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `after training, ${overflow} px wider than the screen`);
      await page.screenshot(join(RESULTS, `phone-${engine}.png`));
      console.log(`# ${engine}: Train was ${tapped ? 'tapped (touch input)' : 'clicked (the driver has no touch input)'}`);
    });

    test('no request left the origin', async () => {
      const foreign = (await page.requests()).filter((url) => !url.startsWith(`${page.origin}/`) && !/^(blob|data):/.test(url));
      assert.deepEqual(foreign, []);
    });
  });
}
