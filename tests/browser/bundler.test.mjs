// Tanuki through a bundler: Vite builds a minimal page that imports 'tanuki'
// (tests/fixtures/vite-app), the build must carry the WebAssembly module, and
// the built page, served on its own with cross-origin isolation, loads it in
// Chromium, trains a tiny model and shows a prediction.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM } from './helpers.mjs';

const FIXTURE = fileURLToPath(new URL('../fixtures/vite-app/', import.meta.url));
const WASM = fileURLToPath(new URL('../../dist/wasm/tanuki.wasm', import.meta.url));
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const noBrowser = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;

let outDir;
let assets;

before(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'tanuki-vite-'));
  // Vite warns that the package's Node-only imports (node:fs...) are left out of the browser build: expected.
  await build({ root: FIXTURE, configFile: false, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  assets = readdirSync(join(outDir, 'assets'));
});

after(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

test('the Vite build emits the WebAssembly module and bundles the glue', () => {
  const wasm = assets.filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one .wasm among ${assets.join(', ')}`);
  assert.ok(readFileSync(join(outDir, 'assets', wasm[0])).equals(readFileSync(WASM)), 'it is the built module');
  const code = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(outDir, 'assets', f), 'utf8')).join('\n');
  assert.ok(code.includes(wasm[0]), 'the bundle refers to the emitted .wasm');
  assert.ok(!code.includes('dist/wasm/'), 'nothing points back into the package folder');
});

/** A static server for the build, with the headers that cross-origin isolation needs. */
function serveBuild(dir) {
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname;
    const file = resolve(dir, '.' + (path === '/' ? '/index.html' : decodeURIComponent(path)));
    if (!file.startsWith(dir + sep) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    response.end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

test('the built page loads the module, trains and shows a prediction in Chromium', { skip: noBrowser }, async () => {
  const server = await serveBuild(outDir);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const profile = mkdtempSync(join(tmpdir(), 'tanuki-browser-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  try {
    const requests = [];
    const errors = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(`${origin}/`);
    await page.locator('#result[data-state]').waitFor({ timeout: 60_000 });
    const text = await page.locator('#result').textContent();
    const [above, below] = text.match(/prediction: ([\d.]+) ([\d.]+)/)?.slice(1).map(Number) ?? [];
    assert.ok(above > 0.5 && below < 0.5, `the page shows a learned prediction: '${text}'`);
    assert.ok(await page.evaluate(() => crossOriginIsolated), 'the page is cross-origin isolated');
    assert.ok(requests.some((u) => /\/assets\/[^/]+\.wasm$/.test(u)), 'the module came from the build');
    assert.deepEqual(requests.filter((u) => !u.startsWith(origin)), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await new Promise((done) => server.close(done));
    rmSync(profile, { recursive: true, force: true });
  }
});
