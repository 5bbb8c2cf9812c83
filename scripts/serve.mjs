// Serves the page and the files it needs (web/, wasm/js/, dist/) with the
// headers it relies on: cross-origin isolation and a strict Content Security
// Policy. Static files only: no directory listings, nothing outside those folders.
// Usage: node scripts/serve.mjs   (PORT=8080 by default; PORT=0 picks a free port)
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

// URL prefix -> folder. '/' is the page itself.
const MOUNTS = [
  ['/wasm/js/', join(root, 'wasm/js')],
  ['/dist/', join(root, 'dist')],
  ['/', join(root, 'web')],
];

/** Content types by file extension (lower case); anything else is application/octet-stream. */
export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.md': 'text/plain; charset=utf-8',
};

// connect-src allows https: so a backbone can be loaded from a public model.json URL.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob: mediastream:",
  "style-src 'self'",
  "connect-src 'self' https:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()',
};

/**
 * The file a request path maps to, or null when it is outside the served
 * folders (`mounts`: [prefix, folder] pairs, tried in order).
 */
export function resolvePath(urlPath, mounts = MOUNTS) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  // Reject rather than normalise: '..' segments, backslashes and NUL never name a served file.
  if (path.includes('\0') || path.includes('\\') || path.split('/').includes('..')) return null;
  if (path === '/') path = '/index.html';
  for (const [prefix, dir] of mounts) {
    if (!path.startsWith(prefix)) continue;
    const file = resolve(dir, '.' + path.slice(prefix.length - 1));
    return file.startsWith(dir + sep) ? file : null;
  }
  return null;
}

function send(response, status, text) {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(text);
}

async function handle(request, response, mounts) {
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'method not allowed\n');
  const { pathname } = new URL(request.url, 'http://localhost');
  const file = resolvePath(pathname, mounts);
  const info = file && (await stat(file).catch(() => null));
  if (!info?.isFile()) return send(response, 404, 'not found\n');
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': 'no-cache',
  });
  if (request.method === 'HEAD') return response.end();
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

/**
 * Starts the server; resolves to {server, url}. extraMounts ([prefix, folder]
 * pairs, prefixes ending in '/') serve more folders, before the page's own
 * (tests serve the models they write this way).
 */
export function serve({ port = Number(process.env.PORT ?? 8080), host = '127.0.0.1', extraMounts = [] } = {}) {
  const mounts = [...extraMounts.map(([prefix, dir]) => [prefix, resolve(dir)]), ...MOUNTS];
  const server = createServer((request, response) => {
    handle(request, response, mounts).catch(() => send(response, 500, 'server error\n'));
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done({ server, url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${server.address().port}/` }));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { url } = await serve({ host: process.env.HOST ?? '127.0.0.1' });
  console.log(`Tanuki page: ${url}`);
}
