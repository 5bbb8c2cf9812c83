// Firefox: Debian's firefox-esr, headless, driven by puppeteer-core over
// WebDriver BiDi (geckodriver is not packaged). Downloads land in a folder
// named by the profile's preferences.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

export const FIREFOX = '/usr/bin/firefox-esr';
export const available = !existsSync(FIREFOX) && `no Firefox at ${FIREFOX} (TANUKI_WITH_BROWSER=1 bash scripts/setup.sh installs firefox-esr)`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// A file's size, or undefined if it is not there (any more).
function sizeOf(path) {
  try {
    return statSync(path).size;
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function launch({ viewport, scratch, touch = false }) {
  const downloadDir = join(scratch, 'downloads');
  mkdirSync(downloadDir);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    defaultViewport: { ...viewport, hasTouch: touch },
    userDataDir: join(scratch, 'profile'),
    extraPrefsFirefox: {
      'browser.download.folderList': 2,
      'browser.download.dir': downloadDir,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.alwaysOpenPanel': false,
      'browser.download.manager.showWhenStarting': false,
      'browser.helperApps.neverAsk.saveToDisk': 'application/octet-stream,application/json,application/zip,application/x-tanuki',
      // No update checks, telemetry or suggestions: the tests check that no request leaves the page's origin.
      'app.update.enabled': false,
      'browser.search.update': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'extensions.getAddons.cache.enabled': false,
    },
  });
  // A tab of its own: the one Firefox starts with never gets the focus
  // (no focus, blur or change-on-blur events there), a new one does.
  const [first] = await browser.pages();
  const page = await browser.newPage();
  await first?.close();
  const requests = [];
  const consoleErrors = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    consoleErrors.push(`unexpected dialog: ${dialog.message()}`);
    dialog.dismiss();
  });
  return {
    version: (await browser.version()).replace(/^firefox\//i, 'Firefox '),
    limits: {
      longTasks: 'Firefox does not report long tasks (PerformanceObserver "longtask")',
    },
    page,
    goto: (url) => page.goto(url),
    reload: () => page.reload(),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    element: async (find, arg) => (await page.evaluateHandle(find, arg)).asElement(),
    click: (handle) => handle.click(),
    tap: (handle) => handle.tap(),
    async fill(handle, value) {
      // Select what is there and type over it, as a user would (select() does nothing in a number field).
      await handle.focus();
      await page.keyboard.down('Control');
      await page.keyboard.press('KeyA');
      await page.keyboard.up('Control');
      await page.keyboard.press('Backspace');
      if (value !== '') await handle.type(value);
    },
    press: (handle, key) => handle.press(key),
    select: (handle, value) => handle.select(value),
    setFiles: (handle, paths) => handle.uploadFile(...paths),
    screenshot: (path) => page.screenshot({ path, fullPage: true }),
    async downloads(trigger, count, dir) {
      const before = new Set(readdirSync(downloadDir));
      await trigger();
      const deadline = Date.now() + 30_000;
      for (;;) {
        // One listing for both questions: two could straddle a rename.
        const listing = readdirSync(downloadDir);
        const fresh = listing.filter((f) => !before.has(f) && !f.endsWith('.part'));
        const partial = listing.some((f) => f.endsWith('.part'));
        if (fresh.length >= count && !partial) {
          // Firefox writes a download under a temporary name and renames it into
          // place: a file listed a moment ago may be gone (size undefined), and a
          // finished one's size must hold for a moment before it is taken.
          const sizes = fresh.map((f) => sizeOf(join(downloadDir, f)));
          await sleep(200);
          if (fresh.every((f, i) => sizes[i] !== undefined && sizeOf(join(downloadDir, f)) === sizes[i])) {
            return fresh.map((name) => {
              copyFileSync(join(downloadDir, name), join(dir, name));
              return { name, path: join(dir, name) };
            });
          }
        }
        if (Date.now() > deadline) throw new Error(`firefox: ${fresh.length} of ${count} downloads arrived in 30 s (${readdirSync(downloadDir).join(', ')})`);
        await sleep(100);
      }
    },
    requests: () => requests.slice(),
    consoleErrors: () => consoleErrors.slice(),
    close: () => browser.close(),
  };
}
