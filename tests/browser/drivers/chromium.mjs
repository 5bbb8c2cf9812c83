// Chromium: Debian's build driven by playwright-core, the same launch as
// helpers.mjs's openPage().
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

// Debian's Chromium, headless, with nothing of its own reaching the network.
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export const available = !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM} (TANUKI_WITH_BROWSER=1 bash scripts/setup.sh installs it)`;

export async function launch({ viewport, scratch, touch = false }) {
  const context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    hasTouch: touch,
    acceptDownloads: true,
  });
  const requests = [];
  const consoleErrors = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    consoleErrors.push(`unexpected dialog: ${dialog.message()}`);
    dialog.dismiss();
  });
  return {
    version: `Chromium ${context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1]))}`,
    limits: {},
    page,
    goto: (url) => page.goto(url),
    reload: () => page.reload(),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    element: async (find, arg) => (await page.evaluateHandle(find, arg)).asElement(),
    click: (handle) => handle.click(),
    tap: (handle) => handle.tap(),
    fill: (handle, value) => handle.fill(value),
    press: (handle, key) => handle.press(key),
    select: (handle, value) => handle.selectOption(value),
    setFiles: (handle, paths) => handle.setInputFiles(paths),
    screenshot: (path) => page.screenshot({ path, fullPage: true }),
    async downloads(trigger, count, dir) {
      const seen = [];
      const all = new Promise((resolve) => {
        const listener = (download) => {
          seen.push(download);
          if (seen.length === count) {
            page.off('download', listener);
            resolve();
          }
        };
        page.on('download', listener);
      });
      await trigger();
      await all;
      const files = [];
      for (const download of seen) {
        const path = join(dir, download.suggestedFilename());
        await download.saveAs(path);
        files.push({ name: download.suggestedFilename(), path });
      }
      return files;
    },
    requests: () => requests.slice(),
    consoleErrors: () => consoleErrors.slice(),
    close: () => context.close(),
  };
}
