// The project images' backbone features, kept in IndexedDB by the training
// worker so that they outlive the page: after a reload, Train computes only
// the features of images it has not seen under this backbone. A database of
// its own ('tanuki-features'), apart from the page's project database: the
// worker alone reads and writes it, and losing it costs time, never work.
//
// Records: {scope, imageId, view, values: Float32Array}, keyed by all three
// but the values. `scope` names what the features depend on besides the
// image: the backbone (its source, or a digest of its files). The page's crop
// is fixed, and views past 0 exist only with its one augmentation setting.
import { finished, promised } from '../state/indexed_db.js';

const DB_NAME = 'tanuki-features';
const DB_VERSION = 1;
const STORE = 'features';
const FAILURE = 'the browser could not store the features';

/** A digest (hex SHA-256) of files' names and bytes: the scope of a backbone chosen as files. */
export async function digestOfFiles(files) {
  const parts = [];
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    parts.push(new TextEncoder().encode(`${file.name}\0${file.size}\0`), new Uint8Array(await file.arrayBuffer()));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Opens the store; resolves to null where IndexedDB is unavailable (the
 * features then live as long as the worker).
 */
export async function openFeatureStore() {
  if (typeof indexedDB === 'undefined') return null;
  let db;
  try {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: ['scope', 'imageId', 'view'] });
    db = await promised(request);
  } catch {
    return null;
  }
  const range = (scope) => IDBKeyRange.bound([scope], [scope, []]);

  return {
    /**
     * Puts the stored features of `scope` for the images in `imageIds` into
     * `cache` (keys `=${imageId}/${view}`, as ImageClassifier names keyed
     * examples) and deletes those of images no longer in the project.
     * Resolves to the set of cache keys it filled.
     */
    async load(scope, imageIds, cache) {
      const wanted = new Set(imageIds);
      const transaction = db.transaction([STORE], 'readwrite');
      const store = transaction.objectStore(STORE);
      const records = await promised(store.getAll(range(scope)));
      const loaded = new Set();
      for (const { imageId, view, values } of records) {
        if (!wanted.has(imageId)) {
          store.delete([scope, imageId, view]);
          continue;
        }
        const key = `=${imageId}/${view}`;
        if (!cache.has(key)) cache.set(key, values);
        loaded.add(key);
      }
      await finished(transaction, FAILURE);
      return loaded;
    },

    /** Stores the entries of `cache` (keys `=${imageId}/${view}`) not in `stored`, adding them to it. */
    async save(scope, cache, stored) {
      const fresh = [];
      for (const [key, values] of cache) {
        if (stored.has(key)) continue;
        const match = /^=(.+)\/(\d+)$/.exec(key);
        if (match) fresh.push({ key, record: { scope, imageId: match[1], view: Number(match[2]), values } });
      }
      // In slices: one transaction over 10,000 rows of features holds tens of MB at once.
      for (let start = 0; start < fresh.length; start += 500) {
        const slice = fresh.slice(start, start + 500);
        const transaction = db.transaction([STORE], 'readwrite');
        const store = transaction.objectStore(STORE);
        for (const { record } of slice) store.put(record);
        await finished(transaction, FAILURE);
        for (const { key } of slice) stored.add(key);
      }
      return fresh.length;
    },

    /** Forgets every scope but `keep` (a backbone no longer in use). */
    async keepOnly(keep) {
      const transaction = db.transaction([STORE], 'readwrite');
      const store = transaction.objectStore(STORE);
      store.delete(IDBKeyRange.upperBound([keep], true));
      store.delete(IDBKeyRange.lowerBound([keep, []], true));
      await finished(transaction, FAILURE);
    },
  };
}
