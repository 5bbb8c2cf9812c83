// A cache of downloaded files keyed by URL, so that a model fetched once from
// its public host loads again offline: a folder in Node
// ($XDG_CACHE_HOME/tanuki/downloads, else ~/.cache/tanuki/downloads), Cache
// Storage in browsers (IndexedDB where Cache Storage is missing).
//
// Entries are written only after the whole model loaded and verified (see
// layers_model.js: the source's commit()), so a failed or partial download
// never leaves a half model behind that would load next time.

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';
const CACHE_NAME = 'tanuki-downloads-v1';

/** The folder Node caches downloads in. */
export async function nodeCacheDir() {
  const path = await import('node:path');
  const os = await import('node:os');
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'tanuki', 'downloads');
}

async function nodeCache() {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const { createHash } = await import('node:crypto');
  const dir = await nodeCacheDir();
  const file = (url) => path.join(dir, `${createHash('sha256').update(url).digest('hex')}.bin`);
  return {
    where: dir,
    async get(url) {
      const bytes = await fs.readFile(file(url)).catch(() => undefined);
      return bytes && new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    async put(url, bytes) {
      await fs.mkdir(dir, { recursive: true });
      // Written aside and renamed: a reader never sees half a file.
      const tmp = `${file(url)}.tmp-${process.pid}-${Date.now()}`;
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, file(url));
    },
  };
}

async function browserCache() {
  if (globalThis.caches?.open) {
    const cache = await globalThis.caches.open(CACHE_NAME);
    return {
      where: `Cache Storage '${CACHE_NAME}'`,
      async get(url) {
        const response = await cache.match(url);
        return response ? new Uint8Array(await response.arrayBuffer()) : undefined;
      },
      put: (url, bytes) => cache.put(url, new Response(bytes, { headers: { 'content-length': String(bytes.length) } })),
    };
  }
  if (!globalThis.indexedDB) return undefined;
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open(CACHE_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('files');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const run = (mode, action) =>
    new Promise((resolve, reject) => {
      const request = action(db.transaction('files', mode).objectStore('files'));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  return {
    where: `IndexedDB '${CACHE_NAME}'`,
    get: (url) => run('readonly', (store) => store.get(url)),
    put: (url, bytes) => run('readwrite', (store) => store.put(bytes, url)),
  };
}

let opened;
/**
 * The download cache of this environment, or undefined where there is none
 * (a browser without Cache Storage and IndexedDB, or storage denied).
 * Failing to open it never fails a load: the download just is not kept.
 */
export function openDownloadCache() {
  opened ??= (isNode ? nodeCache() : browserCache()).catch(() => undefined);
  return opened;
}

/** For tests: forget the opened cache (e.g. after changing XDG_CACHE_HOME). */
export function resetDownloadCache() {
  opened = undefined;
}
