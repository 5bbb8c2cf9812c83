// The page's server: headers, MIME types, and nothing served outside web/,
// wasm/js/ and dist/ (no listings, no path traversal).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { CONTENT_SECURITY_POLICY, resolvePath, serve } from '../../scripts/serve.mjs';

let server;
let port;

before(async () => {
  ({ server } = await serve({ port: 0 }));
  port = server.address().port;
});
after(() => server.close());

/** GET with the path sent exactly as written (no client-side normalisation). */
function get(path, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the page is served at / with isolation and a strict content security policy', async () => {
  const res = await get('/');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /^text\/html/);
  assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin');
  assert.equal(res.headers['cross-origin-embedder-policy'], 'require-corp');
  const csp = res.headers['content-security-policy'];
  assert.equal(csp, CONTENT_SECURITY_POLICY);
  for (const directive of [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob: mediastream:",
    "style-src 'self'",
    "connect-src 'self' https:",
    "object-src 'none'",
    "base-uri 'none'",
  ]) {
    assert.ok(csp.split('; ').includes(directive), `CSP has ${directive}`);
  }
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);
});

test('the page has no inline scripts or styles', async () => {
  const html = (await get('/')).body.toString();
  for (const [, attributes, body] of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
    assert.match(attributes, /\ssrc=/, 'every script is a file');
    assert.equal(body.trim(), '');
  }
  assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
});

test('MIME types', async () => {
  const cases = [
    ['/style.css', /^text\/css/],
    ['/app/main.js', /^text\/javascript/],
    ['/wasm/js/index.js', /^text\/javascript/],
    ['/dist/wasm/tanuki.mjs', /^text\/javascript/],
    ['/dist/wasm/tanuki.wasm', /^application\/wasm$/],
    ['/dist/models/mobilenet_v2/model.json', /^application\/json$/],
    ['/dist/models/mobilenet_v2/weights.bin', /^application\/octet-stream$/],
    ['/favicon.svg', /^image\/svg\+xml$/],
  ];
  for (const [path, type] of cases) {
    const res = await get(path, 'HEAD');
    assert.equal(res.status, 200, path);
    assert.match(res.headers['content-type'], type, path);
    assert.equal(res.headers['cross-origin-embedder-policy'], 'require-corp', path);
  }
});

test('no directory listings and nothing outside the served folders', async () => {
  const refused = [
    '/app/',
    '/dist/',
    '/dist',
    '/wasm/js/',
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/%2E%2E/etc/passwd',
    '/wasm/js/../../package.json',
    '/wasm/js/..%2f..%2fpackage.json',
    '/dist/..%2fscripts/serve.mjs',
    '/dist/..%5c..%5cpackage.json',
    '/app/%00.js',
    '/%',
    '/package.json',
    '/scripts/serve.mjs',
    '/wasm/bindings/guard.h',
    '/core/tensor/tensor.h',
  ];
  for (const path of refused) {
    const res = await get(path);
    assert.equal(res.status, 404, path);
    assert.doesNotMatch(res.body.toString(), /"name": "tanuki"|createServer|root:/, path);
  }
  assert.equal((await get('/', 'POST')).status, 405);
});

test('resolvePath rejects traversal before touching the file system', () => {
  assert.equal(resolvePath('/a/../index.html'), null);
  assert.equal(resolvePath('/%2e%2e/x'), null);
  assert.equal(resolvePath('/a\\b'), null);
  assert.equal(resolvePath('/bad%zz'), null);
  assert.match(resolvePath('/'), /web[/\\]index\.html$/);
  assert.match(resolvePath('/dist/wasm/tanuki.wasm'), /dist[/\\]wasm[/\\]tanuki\.wasm$/);
});
