// Preloaded with `node --import` into a script a test runs (an example, the
// CLI): serves downloads from local copies by intercepting the script's
// requests (global fetch), so that the real download, verification and
// caching code runs while nothing leaves the machine. TANUKI_TEST_DOWNLOADS
// maps a model.json URL to the folder holding its copy:
// {"https://host/path/model.json": "/folder/with/model.json"}; the files next
// to model.json are served from that folder. Any other request fails as it
// would offline, and every request is appended to TANUKI_TEST_REQUESTS (a
// file) when set.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const served = Object.entries(JSON.parse(process.env.TANUKI_TEST_DOWNLOADS ?? '{}')).map(([url, folder]) => [new URL('.', url).href, folder]);
const log = process.env.TANUKI_TEST_REQUESTS;

globalThis.fetch = async (url) => {
  const href = String(url);
  if (log) appendFileSync(log, `${href}\n`);
  for (const [base, folder] of served) {
    if (!href.startsWith(base)) continue;
    const file = join(folder, decodeURIComponent(href.slice(base.length)));
    if (!existsSync(file)) return new Response('not found', { status: 404 });
    const body = new Uint8Array(readFileSync(file));
    return new Response(body, { status: 200, headers: { 'content-length': String(body.length) } });
  }
  throw new TypeError(`fetch failed (no network here: ${href})`);
};
