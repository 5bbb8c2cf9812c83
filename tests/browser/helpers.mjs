// Shared by the browser tests: the page's server on a free port, Debian's
// Chromium driven by playwright-core with a fresh profile, and a record of
// every request, console error and page error.
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { test } from 'node:test';
import { serve } from '../../scripts/serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from './drivers/chromium.mjs';
import { engines } from './drivers/index.mjs';

export { CHROMIUM, CHROMIUM_ARGS };

/** Why the browser tests cannot run here, or false. */
export const NO_BROWSER = !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM} (TANUKI_WITH_BROWSER=1 bash scripts/setup.sh installs it)`;
export const RESULTS = new URL('../../test-results/', import.meta.url).pathname;
mkdirSync(RESULTS, { recursive: true });

/**
 * Starts the server and a browser with an empty profile (`args`: extra
 * Chromium flags). Returns {url, context, page, requests, consoleErrors, close()}.
 */
export async function openPage({ viewport = { width: 1280, height: 900 }, args = [] } = {}) {
  const { server, url } = await serve({ port: 0 });
  const profile = mkdtempSync(join(tmpdir(), 'tanuki-browser-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
    viewport,
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
  await page.goto(url);
  return {
    url,
    origin: new URL(url).origin,
    context,
    page,
    requests,
    consoleErrors,
    async close() {
      await context.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Reloads a Playwright page once it has stored what it was writing, as a
 * user who waits for "Saving…" to go: during a write the page asks before it
 * is left (web/app/main.js), and the test's dialog handler would dismiss that.
 */
export async function reloadWhenSaved(page) {
  await savedToStorage(page);
  await page.reload();
}

/** Resolves once a Playwright page has stored everything it was writing (its "Saving…" has gone). */
export function savedToStorage(page) {
  return page.waitForFunction(() => !document.documentElement.hasAttribute('data-saving'), null, { timeout: 120_000 });
}

/** Resolves once the backbone has loaded. */
export async function backboneReady(page) {
  await page.getByTestId('backbone-status').getByText('Ready', { exact: false }).waitFor({ timeout: 60_000 });
}

/** The texts of the error panel's messages. */
export function errorMessages(page) {
  return page.locator('[data-testid="error"] li').allTextContents();
}

/**
 * For a suite that runs in Chromium only: one skipped test per other engine
 * that would run, saying why, so the output names every engine left out.
 */
export function chromiumOnly(suite, why) {
  for (const { name, skip } of engines()) {
    if (name !== 'chromium' && !skip) test(`${suite} (${name})`, { skip: `Chromium only: ${why}` }, () => {});
  }
}
