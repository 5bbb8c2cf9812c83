// Serves the browser benchmark's pages cross-origin isolated (COOP/COEP, so
// that SharedArrayBuffer and both libraries' threaded builds are available)
// with ETags, so that a second visit revalidates its files (304) and keeps
// what the browser cached, compiled WebAssembly included, as a returning
// visitor's page would. No Content Security Policy: TF.js's threaded build
// starts its workers from blob: URLs, which the page's own policy refuses.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_TYPES, resolvePath } from '../../scripts/serve.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

// URL prefix -> folder: the package's modules and builds where its own
// relative imports expect them, TF.js's browser bundles, the bench pages.
const MOUNTS = [
  ['/wasm/js/', join(root, 'wasm/js')],
  ['/dist/', join(root, 'dist')],
  ['/tfjs/', join(root, 'node_modules/@tensorflow')],
  ['/bench/', join(root, 'bench')],
];

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

async function handle(request, response, counts) {
  const file = resolvePath(new URL(request.url, 'http://localhost').pathname, MOUNTS);
  const info = file && (await stat(file).catch(() => null));
  if (request.method !== 'GET' || !info?.isFile()) {
    response.writeHead(404, { ...ISOLATION, 'Content-Type': 'text/plain' });
    return response.end('not found\n');
  }
  const etag = `"${info.size.toString(36)}-${info.mtimeMs.toString(36)}"`;
  const headers = { ...ISOLATION, ETag: etag, 'Cache-Control': 'no-cache' };
  if (request.headers['if-none-match'] === etag) {
    counts.notModified++;
    response.writeHead(304, headers);
    return response.end();
  }
  counts.sent++;
  response.writeHead(200, { ...headers, 'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': info.size });
  createReadStream(file).on('error', () => response.destroy()).pipe(response);
}

/**
 * Starts the server on a free port; resolves to {server, url, counts}:
 * counts.sent and counts.notModified, the files sent and those answered 304.
 */
export function serveBench() {
  const counts = { sent: 0, notModified: 0 };
  const server = createServer((request, response) => {
    handle(request, response, counts).catch(() => response.destroy());
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${server.address().port}/`, counts }));
  });
}
