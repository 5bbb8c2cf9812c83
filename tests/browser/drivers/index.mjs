// One interface over three browser engines, so that one test body runs in
// Chromium (playwright-core), Firefox (puppeteer-core over WebDriver BiDi) and
// WebKit (selenium-webdriver and WebKitWebDriver). Each driver module exports
// `available` (false, or why the engine cannot run here) and
// `launch({viewport, scratch, touch})`, resolving to the raw session below;
// `openEngine()` wraps it with the page's server and the queries every test
// needs.
//
// Raw session: {version, limits: {what: why the engine cannot check it},
// goto(url), reload(), evaluate(fn, arg), element(fn, arg) -> a handle for
// click/tap/fill/press/select/setFiles(handle, ...), screenshot(path),
// downloads(trigger, count, dir), requests(), consoleErrors() (null: the
// engine cannot record them), close()}. Intercepting requests is left to
// Chromium's own tests (helpers.mjs, Playwright's routes): WebKitWebDriver
// offers no interception.
//
// Selectors are CSS; `host >>> inner` continues inside host's shadow root.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../../scripts/serve.mjs';
import * as chromium from './chromium.mjs';
import * as firefox from './firefox.mjs';
import * as webkit from './webkit.mjs';

const DRIVERS = { chromium, firefox, webkit };

/**
 * The engines to run, in order: TANUKI_BROWSERS (comma-separated) or every
 * engine. {name, skip}: skip says why an engine cannot run (not installed,
 * not asked for).
 */
export function engines() {
  const wanted = process.env.TANUKI_BROWSERS?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of wanted ?? []) if (!DRIVERS[name]) throw new Error(`TANUKI_BROWSERS: unknown engine '${name}' (chromium, firefox, webkit)`);
  return Object.entries(DRIVERS).map(([name, driver]) => ({
    name,
    skip: wanted && !wanted.includes(name) ? `${name} not in TANUKI_BROWSERS=${process.env.TANUKI_BROWSERS}` : driver.available,
  }));
}

// Runs in the page: the element a selector names (through shadow roots).
function findOne({ selector, nth }) {
  const parts = selector.split('>>>').map((s) => s.trim());
  let roots = [document];
  for (const [i, part] of parts.entries()) {
    const found = roots.flatMap((root) => Array.from(root.querySelectorAll(part)));
    roots = i === parts.length - 1 ? found : found.map((el) => el.shadowRoot).filter(Boolean);
  }
  return roots[nth] ?? null;
}

// Runs in the page: one query over the elements of a selector. Self-contained
// (drivers send its source), so findOne's walk is repeated inside.
function query({ selector, nth, op, name, text }) {
  const find = (sel) => {
    const parts = sel.split('>>>').map((s) => s.trim());
    let roots = [document];
    for (const [i, part] of parts.entries()) {
      const found = roots.flatMap((root) => Array.from(root.querySelectorAll(part)));
      roots = i === parts.length - 1 ? found : found.map((el) => el.shadowRoot).filter(Boolean);
    }
    return roots;
  };
  const all = find(selector);
  const el = all[nth ?? 0];
  const visible = (e) => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  switch (op) {
    case 'count': return all.length;
    case 'texts': return all.map((e) => e.textContent);
    case 'values': return all.map((e) => e.value);
    case 'exists': return !!el;
    case 'hasText': {
      // Whitespace collapsed and trimmed, as a reader sees the text (and Playwright matches it).
      const seen = el ? el.textContent.replace(/\s+/g, ' ').trim() : '';
      return !!el && (text.startsWith('/') ? new RegExp(text.slice(1, text.lastIndexOf('/')), text.slice(text.lastIndexOf('/') + 1)).test(seen) : seen.includes(text));
    }
  }
  if (!el) throw new Error(`no element ${selector}${nth ? ` #${nth}` : ''}`);
  switch (op) {
    case 'text': return el.textContent;
    case 'value': return el.value;
    case 'attribute': return el.getAttribute(name);
    case 'property': return el[name];
    case 'disabled': return el.disabled === true;
    case 'visible': return visible(el);
    case 'blur': el.blur(); return null;
    case 'dataURL': return el.toDataURL();
    case 'computed': return getComputedStyle(el)[name];
  }
  throw new Error(`unknown query ${op}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the page's server (or uses `url`) and `engine` with an empty profile. The returned
 * session speaks in selectors: text(sel), texts(sel), count(sel), click(sel),
 * fill(sel, value), setFiles(sel, files)... (`nth` picks among matches).
 * Files are paths or {name, mimeType, buffer}.
 */
export async function openEngine(engine, { viewport = { width: 1280, height: 900 }, touch = false, path = '', url: at = null } = {}) {
  // The page's own server, unless the test serves something else at `url`.
  const { server, url } = at ? { server: null, url: at } : await serve({ port: 0 });
  const stopServer = () => server && new Promise((resolve) => server.close(resolve));
  const scratch = mkdtempSync(join(tmpdir(), `tanuki-${engine}-`));
  const raw = await DRIVERS[engine].launch({ viewport, scratch, touch }).catch(async (error) => {
    await stopServer();
    throw error;
  });
  const start = new URL(path, url).href;
  await raw.goto(start);
  let fileCount = 0;

  const q = (selector, op, extra = {}) => raw.evaluate(query, { selector, op, ...extra });
  const el = async (selector, nth = 0) => {
    const handle = await raw.element(findOne, { selector, nth });
    if (!handle) throw new Error(`${engine}: no element ${selector}${nth ? ` #${nth}` : ''}`);
    return handle;
  };

  const session = {
    engine,
    /** The driver's own session (Chromium: {page}, playwright's). */
    raw,
    version: raw.version,
    limits: raw.limits,
    url,
    origin: new URL(url).origin,
    evaluate: (fn, arg) => raw.evaluate(fn, arg),
    goto: (to) => raw.goto(new URL(to, url).href),
    /**
     * Reloads once the page has stored what it was writing, as a user who
     * waits for "Saving…" to go: during a write the page asks before it is
     * left (web/app/main.js), and the driver would dismiss that question.
     */
    async reload() {
      await session.waitFor(() => !document.documentElement.hasAttribute('data-saving'), null, { timeout: 120_000 });
      await raw.reload();
    },
    count: (sel) => q(sel, 'count'),
    text: (sel, nth) => q(sel, 'text', { nth }),
    texts: (sel) => q(sel, 'texts'),
    value: (sel, nth) => q(sel, 'value', { nth }),
    values: (sel) => q(sel, 'values'),
    attribute: (sel, name, nth) => q(sel, 'attribute', { name, nth }),
    property: (sel, name, nth) => q(sel, 'property', { name, nth }),
    computed: (sel, name, nth) => q(sel, 'computed', { name, nth }),
    disabled: (sel, nth) => q(sel, 'disabled', { nth }),
    visible: (sel, nth) => q(sel, 'visible', { nth }),
    dataURL: (sel, nth) => q(sel, 'dataURL', { nth }),
    blur: (sel, nth) => q(sel, 'blur', { nth }),
    async click(sel, nth) {
      await raw.click(await el(sel, nth));
    },
    /** A touch tap where the engine's driver offers touch input; resolves to false after a click where it does not. */
    async tap(sel, nth) {
      const handle = await el(sel, nth);
      try {
        await raw.tap(handle);
        return true;
      } catch (error) {
        console.log(`# ${engine}: no touch input through its driver (${error.name}${error.message ? `: ${error.message.split("\n")[0]}` : ""}): clicked instead`);
        await raw.click(handle);
        return false;
      }
    },
    async fill(sel, value, nth) {
      await raw.fill(await el(sel, nth), String(value));
    },
    async press(sel, key, nth) {
      await raw.press(await el(sel, nth), key);
    },
    async select(sel, value, nth) {
      await raw.select(await el(sel, nth), String(value));
    },
    async setFiles(sel, files, nth) {
      const paths = [files].flat().map((file) => {
        if (typeof file === 'string') return file;
        const dir = join(scratch, `files-${fileCount++}`);
        mkdirSync(dir);
        const path = join(dir, file.name);
        writeFileSync(path, file.buffer);
        return path;
      });
      await raw.setFiles(await el(sel, nth), paths);
    },
    /** Resolves once fn(arg), run in the page, is truthy; with its value. */
    async waitFor(fn, arg = null, { timeout = 30_000 } = {}) {
      const deadline = Date.now() + timeout;
      for (;;) {
        const value = await raw.evaluate(fn, arg);
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`${engine}: timed out after ${timeout} ms waiting for ${fn.toString().slice(0, 200)} (${JSON.stringify(arg)})`);
        await sleep(100);
      }
    },
    /** Resolves once the element exists and its text contains text (or matches a /regexp/). */
    async waitForText(sel, text, { nth, timeout = 30_000 } = {}) {
      const pattern = text instanceof RegExp ? text.toString() : text;
      const deadline = Date.now() + timeout;
      while (!(await q(sel, 'hasText', { nth, text: pattern }))) {
        if (Date.now() > deadline) {
          const now = await q(sel, 'exists', { nth }) ? await q(sel, 'text', { nth }) : '(absent)';
          // The page's own error panel usually says why (WebKitWebDriver shows no console).
          const errors = (await q('[data-testid="error"] li', 'exists')) ? await raw.evaluate(() => Array.from(document.querySelectorAll('[data-testid="error"] li'), (li) => li.textContent)) : [];
          const shown = errors.length ? `; the page shows the errors ${JSON.stringify(errors)}` : '';
          const logged = (await raw.consoleErrors()) ?? [];
          const consoleText = logged.length ? `; its console's errors: ${JSON.stringify(logged.slice(-5))}` : '';
          throw new Error(`${engine}: timed out after ${timeout} ms waiting for ${sel} to read ${pattern}; it reads ${JSON.stringify(now)}${shown}${consoleText}`);
        }
        await sleep(100);
      }
    },
    async waitForSelector(sel, { timeout = 30_000 } = {}) {
      const deadline = Date.now() + timeout;
      while (!(await q(sel, 'exists'))) {
        if (Date.now() > deadline) throw new Error(`${engine}: timed out after ${timeout} ms waiting for ${sel}`);
        await sleep(100);
      }
    },
    screenshot: (file) => raw.screenshot(file),
    /**
     * Clicks sel and collects the `count` files the page downloads into dir:
     * resolves to [{name, path}].
     */
    async downloads(sel, count, dir) {
      mkdirSync(dir, { recursive: true });
      const handle = await el(sel);
      return raw.downloads(() => raw.click(handle), count, dir);
    },
    requests: () => raw.requests(),
    consoleErrors: () => raw.consoleErrors(),
    async close() {
      await raw.close().catch((error) => console.log(`# ${engine}: closing the browser failed: ${error.message}`));
      await stopServer();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
  return session;
}
