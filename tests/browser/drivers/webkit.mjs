// WebKit: WebKitGTK's MiniBrowser (the engine family of Safari) driven by
// selenium-webdriver through WebKitWebDriver, on a virtual X display
// (MiniBrowser has no headless mode). WebKitWebDriver reports neither network
// requests nor console messages nor downloads, so requests come from the
// page's Resource Timing, console errors are not recorded (the page's own
// error panel is still checked), and a download is read from the Blob the
// page links to when it clicks its download link.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Builder, Key } from 'selenium-webdriver';

export const WEBDRIVER = '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const XVFB_RUN = '/usr/bin/xvfb-run';
export const available =
  (![WEBDRIVER, MINIBROWSER, XVFB_RUN].every(existsSync) &&
    `no WebKitGTK driver (${WEBDRIVER}, ${MINIBROWSER}) or no ${XVFB_RUN} (TANUKI_WITH_BROWSER=1 bash scripts/setup.sh installs webkit2gtk-driver and xvfb)`);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForDriver(port, child) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('WebKitWebDriver did not start within 20 s');
    await sleep(100);
  }
}

// Runs in the page: an async function of one argument, its outcome handed to
// WebDriver's callback (executeAsyncScript), errors included.
const ASYNC_CALL = `
  const done = arguments[arguments.length - 1];
  Promise.resolve()
    .then(() => (FN)(arguments[0]))
    .then((value) => done({ value: value === undefined ? null : value }), (error) => done({ error: String(error && error.stack || error) }));`;

// Runs in the page: remembers the Blob behind each object URL and, instead
// of the download WebKitWebDriver cannot save, keeps the files the page's
// download links point to.
function recordDownloads() {
  if (window.__tanukiDownloads) return;
  const blobs = new Map();
  const create = URL.createObjectURL;
  URL.createObjectURL = (object) => {
    const url = create.call(URL, object);
    blobs.set(url, object);
    return url;
  };
  window.__tanukiDownloads = [];
  document.addEventListener('click', (event) => {
    const link = event.target.closest?.('a[download]');
    if (!link || !blobs.has(link.href)) return;
    event.preventDefault();
    window.__tanukiDownloads.push(
      blobs.get(link.href).arrayBuffer().then((buffer) => {
        const bytes = new Uint8Array(buffer);
        let text = '';
        for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return { name: link.download, base64: btoa(text) };
      }),
    );
  }, true);
}

// The last lines of the browser's own output: when its page process dies,
// WebKitWebDriver says only that the session is gone, and the reason (a
// crash, a signal, memory) is in what the browser printed.
function tail(path, lines = 20) {
  try {
    const text = readFileSync(path, 'utf8').trimEnd();
    return text ? text.split('\n').slice(-lines).join('\n') : '(the browser printed nothing)';
  } catch {
    return '(no browser log)';
  }
}

// Begins the message of an error after which the session's page is gone.
const PAGE_LOST = 'webkit: the page is gone';

// Wraps each method of a session so that a WebDriver error carries the
// browser's last words and says whether the page survived it: a page that
// crashed (or that WebKit gave up on as hung) no longer answers even where
// it is.
function reportingBrowserOutput(session, driver, log) {
  for (const [name, method] of Object.entries(session)) {
    if (typeof method !== 'function' || name === 'close') continue;
    session[name] = async (...args) => {
      try {
        return await method(...args);
      } catch (error) {
        if (!/WebDriver|NoSuch/.test(error?.name ?? '') || error.browserOutput) throw error;
        const lost = await driver.getCurrentUrl().then(() => false, () => true);
        error.browserOutput = tail(log);
        const what = lost ? `${PAGE_LOST} (${name}: ${error.name}${error.message ? `: ${error.message}` : ''})` : error.message;
        error.message = `${what}\nwebkit: the browser's last output:\n${error.browserOutput}`;
        throw error;
      }
    };
  }
  return session;
}

export async function launch({ viewport, scratch }) {
  const port = await freePort();
  const log = join(scratch, 'webkit.log');
  const output = openSync(log, 'a');
  // A screen larger than the window, so that the viewport asked for fits.
  const child = spawn(XVFB_RUN, ['-a', '-s', '-screen 0 1600x1200x24', WEBDRIVER, `--port=${port}`], { detached: true, stdio: ['ignore', output, output] });
  closeSync(output);
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  let driver;
  try {
    await waitForDriver(port, child);
    driver = await new Builder()
      .usingServer(`http://127.0.0.1:${port}`)
      .withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      })
      .build();
    await driver.manage().setTimeouts({ script: 300_000, pageLoad: 60_000 });
    await driver.manage().window().setRect({ x: 0, y: 0, width: viewport.width, height: viewport.height });
  } catch (error) {
    await driver?.quit().catch(() => {});
    stop();
    throw error;
  }
  const capabilities = await driver.getCapabilities();
  const seen = [];
  const evaluate = async (fn, arg = null) => {
    const outcome = await driver.executeAsyncScript(ASYNC_CALL.replace('FN', () => fn.toString()), arg);
    if (outcome?.error) throw new Error(`webkit: ${outcome.error}`);
    return outcome?.value;
  };
  const resources = () => evaluate(() => [location.href, ...performance.getEntriesByType('resource').map((e) => e.name)]).catch(() => []);
  const leave = async () => seen.push(...(await resources()));

  return reportingBrowserOutput({
    version: `WebKitGTK ${capabilities.get('browserVersion')} (MiniBrowser)`,
    limits: {
      consoleErrors: 'WebKitWebDriver does not report console messages',
      requests: 'WebKitWebDriver does not report network requests: the page\'s Resource Timing (the document\'s own fetches, not its workers\') stands in',
      downloads: 'WebKitWebDriver cannot save downloads: the file is read from the Blob the page\'s download link points to',
      longTasks: 'WebKit does not report long tasks (PerformanceObserver "longtask")',
      viewport: 'MiniBrowser\'s window is no narrower than its toolbar (about 450 CSS px wide)',
    },
    async goto(url) {
      if (seen.length || (await driver.getCurrentUrl()).startsWith('http')) await leave();
      await driver.get(url);
    },
    async reload() {
      await leave();
      await driver.navigate().refresh();
    },
    evaluate,
    driver,
    element: (find, arg) => driver.executeScript(`return (${find})(arguments[0]);`, arg),
    click: (element) => element.click(),
    async tap() {
      // WebKitGTK turns WebDriver touch actions into mouse events (no
      // touchstart, navigator.maxTouchPoints 0): say so rather than pretend.
      throw new Error('WebKitGTK delivers WebDriver touch actions as mouse events');
    },
    async fill(element, value) {
      // Erase what is there and type, as a user would: clear() would fire a
      // change with an empty value first, and Ctrl+A selects nothing in a
      // number field here. WebDriver puts the caret at the end.
      const length = String(await driver.executeScript('return arguments[0].value;', element)).length;
      await element.sendKeys(...Array(length).fill(Key.BACK_SPACE), value);
    },
    press: (element, key) => element.sendKeys({ Enter: Key.ENTER, Tab: Key.TAB, Escape: Key.ESCAPE }[key] ?? key),
    async select(element, value) {
      const option = await driver.executeScript('return Array.from(arguments[0].options).find((o) => o.value === arguments[1]) || null;', element, value);
      if (!option) throw new Error(`webkit: no option ${value}`);
      await option.click();
    },
    async setFiles(element, paths) {
      // Now and then, late in a long run, WebKitWebDriver sends the files to
      // no effect: no change event. Sent once more then, saying so; what the
      // page does with them is checked by the test as ever.
      const watch = 'const input = arguments[0]; input.__tanukiChanged = false; input.addEventListener("change", () => { input.__tanukiChanged = true; }, { once: true, capture: true });';
      await driver.executeScript(watch, element);
      await element.sendKeys(paths.join('\n'));
      const deadline = Date.now() + 5_000;
      while (!(await driver.executeScript('return arguments[0].__tanukiChanged === true;', element))) {
        if (Date.now() > deadline) {
          console.log(`# webkit: the file input fired no change event within 5 s of receiving ${paths.length} file(s): sent again`);
          await element.sendKeys(paths.join('\n'));
          return;
        }
        await sleep(100);
      }
    },
    async screenshot(path) {
      writeFileSync(path, Buffer.from(await driver.takeScreenshot(), 'base64'));
    },
    async downloads(trigger, count, dir) {
      await driver.executeScript(`(${recordDownloads})();`);
      await trigger();
      const deadline = Date.now() + 30_000;
      while ((await evaluate(() => window.__tanukiDownloads.length)) < count) {
        if (Date.now() > deadline) throw new Error(`webkit: fewer than ${count} downloads in 30 s`);
        await sleep(100);
      }
      const files = await evaluate(async () => Promise.all(window.__tanukiDownloads.splice(0)));
      return files.map(({ name, base64 }) => {
        const path = join(dir, name);
        writeFileSync(path, Buffer.from(base64, 'base64'));
        return { name, path };
      });
    },
    async requests() {
      return [...seen, ...(await resources())];
    },
    consoleErrors: () => null,
    async close() {
      try {
        await driver.quit();
      } finally {
        stop();
      }
    },
  }, driver, log);
}
