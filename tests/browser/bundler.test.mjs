// Tanuki through a bundler: Vite builds a minimal page that imports 'tanuki'
// and 'tanuki/tanuki-classifier' (tests/fixtures/vite-app). The build must
// carry the WebAssembly module, the element's worker and the bundled backbone;
// the built page, served on its own with cross-origin isolation, trains a tiny
// model and shows a prediction in each engine (Chromium, Firefox, WebKit),
// and so does the element.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { build } from 'vite';
import { engines, openEngine } from './drivers/index.mjs';

const FIXTURE = fileURLToPath(new URL('../fixtures/vite-app/', import.meta.url));
const WASM = fileURLToPath(new URL('../../dist/wasm/tanuki.wasm', import.meta.url));
const BACKBONE_WEIGHTS = fileURLToPath(new URL('../../dist/models/mobilenet_v2/weights.bin', import.meta.url));
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.bin': 'application/octet-stream' };

let outDir;
let assets;

before(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'tanuki-vite-'));
  // Vite warns that the package's Node-only imports (node:fs...) are left out of the browser build: expected.
  // The element's worker is a module worker that imports Tanuki: Vite must emit it as one (its default is iife).
  await build({ root: FIXTURE, configFile: false, logLevel: 'error', build: { outDir, emptyOutDir: true }, worker: { format: 'es' } });
  assets = readdirSync(join(outDir, 'assets'));
});

after(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

test('the Vite build emits the WebAssembly module, the glue, the worker and the backbone', () => {
  // The threaded build (loaded with load({threads}) where the files keep their names) and the
  // relaxed-SIMD build (chosen where the engine has relaxed SIMD) are emitted beside it.
  const wasm = assets.filter((f) => f.endsWith('.wasm') && !f.startsWith('tanuki-threaded-') && !f.startsWith('tanuki-relaxed-'));
  assert.equal(wasm.length, 1, `one single-threaded .wasm among ${assets.join(', ')}`);
  assert.equal(assets.filter((f) => /^tanuki-threaded-.+\.wasm$/.test(f)).length, 1, `one threaded .wasm among ${assets.join(', ')}`);
  assert.equal(assets.filter((f) => /^tanuki-relaxed-.+\.wasm$/.test(f)).length, 1, `one relaxed-SIMD .wasm among ${assets.join(', ')}`);
  assert.equal(assets.filter((f) => /^tanuki-threaded\.worker-.+\.js$/.test(f)).length, 1, `the threaded build's worker among ${assets.join(', ')}`);
  assert.ok(readFileSync(join(outDir, 'assets', wasm[0])).equals(readFileSync(WASM)), 'it is the built module');
  const code = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(outDir, 'assets', f), 'utf8')).join('\n');
  assert.ok(code.includes(wasm[0]), 'the bundle refers to the emitted .wasm');
  assert.ok(!code.includes('dist/wasm/'), 'nothing points back into the package folder');
  assert.ok(assets.some((f) => /^classifier\.worker-.+\.js$/.test(f)), `the element's worker is bundled: ${assets.join(', ')}`);
  const weights = assets.filter((f) => f.endsWith('.bin'));
  assert.equal(weights.length, 1, "the bundled backbone's weights are emitted");
  assert.ok(readFileSync(join(outDir, 'assets', weights[0])).equals(readFileSync(BACKBONE_WEIGHTS)));
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

for (const { name: engine, skip } of engines()) {
  test(`the built page trains and predicts in ${engine}, with the API and with the element`, { skip }, async () => {
    const server = await serveBuild(outDir);
    const origin = `http://127.0.0.1:${server.address().port}`;
    const clock = Date.now();
    const page = await openEngine(engine, { url: `${origin}/` });
    try {
      await page.waitForSelector('#result[data-state]', { timeout: 60_000 });
      const text = await page.text('#result');
      const [above, below] = text.match(/prediction: ([\d.]+) ([\d.]+)/)?.slice(1).map(Number) ?? [];
      assert.ok(above > 0.5 && below < 0.5, `the page shows a learned prediction: '${text}'`);
      assert.ok(await page.evaluate(() => crossOriginIsolated), 'the page is cross-origin isolated');
      assert.ok((await page.requests()).some((u) => /\/assets\/[^/]+\.wasm$/.test(u)), 'the module came from the build');

      // The element: its worker loads the bundled backbone from the build, trains on two drawn patterns and predicts.
      await page.waitForText('tanuki-classifier >>> [part~="status"]', 'Ready:', { timeout: 60_000 });
      const predictions = await page.evaluate(async () => {
        const el = document.querySelector('tanuki-classifier');
        const draw = async (vertical, i) => {
          const canvas = new OffscreenCanvas(64, 64);
          const g = canvas.getContext('2d');
          g.fillStyle = `hsl(${i * 47} 70% 50%)`;
          g.fillRect(0, 0, 64, 64);
          g.fillStyle = '#fff';
          for (let p = 0; p < 64; p += 16) (vertical ? g.fillRect(p, 0, 8, 64) : g.fillRect(0, p, 64, 8));
          return canvas.convertToBlob({ type: 'image/png' });
        };
        for (let i = 0; i < 4; i++) {
          el.addImages('stripes', [await draw(true, i)]);
          el.addImages('dots', [await draw(false, i)]);
        }
        await el.train();
        return el.predict(await draw(true, 9));
      });
      assert.deepEqual(predictions.map((p) => p.className).sort(), ['dots', 'stripes']);
      assert.deepEqual((await page.requests()).filter((u) => !u.startsWith(origin) && !/^(blob|data):/.test(u)), []);
      const errors = await page.consoleErrors();
      if (errors === null) console.log(`# ${engine}: console errors not checked: ${page.limits.consoleErrors}`);
      else assert.deepEqual(errors, []);
      console.log(`# ${engine}: the built page took ${((Date.now() - clock) / 1000).toFixed(1)} s`);
    } finally {
      await page.close();
      await new Promise((done) => server.close(done));
    }
  });
}
