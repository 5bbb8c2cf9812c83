// The project in IndexedDB, so that it survives a reload: classes, their
// image Blobs (each with its thumbnail, and a training copy when it is large:
// io/training_copy.js; records stored before thumbnails were, and images
// opened from a project file, get their thumbnail when first shown),
// and named values (settings, the trained model's artifacts,
// training history, validation report, backbone choice).
import { finished, promised } from './indexed_db.js';

const DB_NAME = 'tanuki';
const DB_VERSION = 1;
const IMAGES_PER_WRITE = 200;

function open() {
  const request = indexedDB.open(DB_NAME, DB_VERSION);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore('classes', { keyPath: 'id' });
    db.createObjectStore('images', { keyPath: 'id' }).createIndex('classId', 'classId');
    db.createObjectStore('values');
  };
  return promised(request);
}

// WebKit refuses Blobs in IndexedDB in some sessions (private browsing,
// automation: "Error preparing Blob/File data to be stored in object
// store"). There every Blob in what is stored (an image, a backbone's files)
// is replaced by its bytes and type, and turned back into a Blob or File when
// read. The refusal is found out with one small Blob when the database opens:
// a refused transaction holding many Blobs reports the error but never ends
// there (not even when aborted), and every later transaction on its stores
// would wait for it.
const STORED_BLOB = 'tanukiStoredBlob';
const BLOB_PROBE_KEY = 'tanukiBlobProbe';

/** Whether this session's IndexedDB stores Blobs: one byte written and deleted in one transaction. */
function storesBlobs(db) {
  return new Promise((resolve) => {
    const transaction = db.transaction(['values'], 'readwrite');
    const values = transaction.objectStore('values');
    values.put(new Blob([new Uint8Array(1)]), BLOB_PROBE_KEY);
    values.delete(BLOB_PROBE_KEY);
    transaction.oncomplete = () => resolve(true);
    transaction.onerror = (event) => {
      event.preventDefault();
      resolve(false);
    };
    transaction.onabort = () => resolve(false);
  });
}

async function withoutBlobs(value) {
  if (value instanceof Blob) {
    const bytes = await value.arrayBuffer();
    return { [STORED_BLOB]: true, bytes, type: value.type, name: value.name, lastModified: value.lastModified };
  }
  if (Array.isArray(value)) return Promise.all(value.map(withoutBlobs));
  if (value && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = await Promise.all(Object.entries(value).map(async ([key, v]) => [key, await withoutBlobs(v)]));
    return Object.fromEntries(entries);
  }
  return value;
}

function withBlobs(value) {
  if (Array.isArray(value)) return value.map(withBlobs);
  if (!value || Object.getPrototypeOf(value) !== Object.prototype) return value;
  if (value[STORED_BLOB]) {
    const { bytes, type, name, lastModified } = value;
    return typeof name === 'string' ? new File([bytes], name, { type, lastModified }) : new Blob([bytes], { type });
  }
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, withBlobs(v)]));
}

const holdsBlob = (value) =>
  value instanceof Blob || (Array.isArray(value) ? value.some(holdsBlob) : !!value && Object.getPrototypeOf(value) === Object.prototype && Object.values(value).some(holdsBlob));

/** Opens the project database; resolves to the storage API used by the page. */
export async function openProjectStorage() {
  const db = await open();
  let blobsRefused = !(await storesBlobs(db));
  // Images are listed in the order they were added: a later slice never sorts
  // before an earlier one, even within one millisecond.
  let lastOrder = 0;
  const nextOrders = (count) => {
    const base = Math.max(Date.now() * 1000, lastOrder + 1);
    lastOrder = base + count - 1;
    return base;
  };

  async function write(stores, body) {
    const transaction = db.transaction(stores, 'readwrite');
    body(transaction);
    await finished(transaction);
  }

  /**
   * write() of records that may hold Blobs (body(transaction, records)),
   * retried without them if they are refused after all (a quota or a disk
   * error is the caller's to report).
   */
  async function writeRecords(stores, records, body) {
    if (!blobsRefused) {
      try {
        return await write(stores, (t) => body(t, records));
      } catch (error) {
        if (error?.name === 'QuotaExceededError' || !holdsBlob(records)) throw error;
        blobsRefused = true;
      }
    }
    const stored = await withoutBlobs(records);
    return write(stores, (t) => body(t, stored));
  }

  return {
    /** {classes: [{id, name, images: [{id, blob, name, thumbnail?, trainingCopy?}]}], values: {key: value}} */
    async load() {
      const transaction = db.transaction(['classes', 'images', 'values'], 'readonly');
      const [classes, images, keys, values] = await Promise.all([
        promised(transaction.objectStore('classes').getAll()),
        promised(transaction.objectStore('images').getAll()),
        promised(transaction.objectStore('values').getAllKeys()),
        promised(transaction.objectStore('values').getAll()),
      ]);
      classes.sort((a, b) => a.order - b.order);
      images.sort((a, b) => a.order - b.order);
      return {
        classes: classes.map((c) => ({
          id: c.id,
          name: c.name,
          images: images.filter((i) => i.classId === c.id).map(({ id, blob, name, thumbnail, trainingCopy }) => ({ id, blob: withBlobs(blob), name, thumbnail: withBlobs(thumbnail), trainingCopy: withBlobs(trainingCopy) })),
        })),
        values: Object.fromEntries(keys.map((key, i) => [key, withBlobs(values[i])])),
      };
    },

    saveClass({ id, name }, order) {
      return write(['classes'], (t) => t.objectStore('classes').put({ id, name, order }));
    },

    async deleteClass(id) {
      const transaction = db.transaction(['classes', 'images'], 'readwrite');
      transaction.objectStore('classes').delete(id);
      const images = transaction.objectStore('images');
      const keys = await promised(images.index('classId').getAllKeys(id));
      for (const key of keys) images.delete(key);
      await finished(transaction);
    },

    /**
     * Stores images in transactions of IMAGES_PER_WRITE: thousands of images
     * in one transaction would all be lost together if it failed (a full
     * quota) or was cut off, and each stored slice stays stored.
     */
    async addImages(classId, images) {
      const base = nextOrders(images.length);
      const records = images.map(({ id, blob, name, thumbnail, trainingCopy }, i) => ({ id, classId, blob, name, thumbnail, trainingCopy, order: base + i }));
      for (let start = 0; start < records.length; start += IMAGES_PER_WRITE) {
        await writeRecords(['images'], records.slice(start, start + IMAGES_PER_WRITE), (t, stored) => {
          const store = t.objectStore('images');
          for (const record of stored) store.put(record);
        });
      }
    },

    /** Adds a thumbnail to a stored image (none if the image is gone). */
    setThumbnail(id, thumbnail) {
      return writeRecords(['images'], thumbnail, (t, stored) => {
        const images = t.objectStore('images');
        const request = images.get(id);
        // Still inside the transaction: the record is read and written in one.
        request.onsuccess = () => {
          if (request.result) images.put({ ...request.result, thumbnail: stored });
        };
      });
    },

    deleteImage(id) {
      return write(['images'], (t) => t.objectStore('images').delete(id));
    },

    setValue(key, value) {
      return writeRecords(['values'], value, (t, stored) => (stored === undefined ? t.objectStore('values').delete(key) : t.objectStore('values').put(stored, key)));
    },

    /** Replaces everything (opening a project file). */
    replaceAll({ classes, values }) {
      const base = nextOrders(classes.reduce((n, c) => n + c.images.length, 0));
      let n = 0;
      const records = {
        classes: classes.map((c, order) => ({ id: c.id, name: c.name, order })),
        images: classes.flatMap((c) => c.images.map(({ id, blob, name }) => ({ id, classId: c.id, blob, name, order: base + n++ }))),
        values: Object.entries(values).filter(([, value]) => value !== undefined),
      };
      return writeRecords(['classes', 'images', 'values'], records, (t, stored) => {
        for (const name of ['classes', 'images', 'values']) t.objectStore(name).clear();
        for (const record of stored.classes) t.objectStore('classes').put(record);
        for (const record of stored.images) t.objectStore('images').put(record);
        for (const [key, value] of stored.values) t.objectStore('values').put(value, key);
      });
    },
  };
}

/** Storage that keeps nothing, for browsers where IndexedDB is unavailable. */
export function memoryOnlyStorage() {
  const none = async () => {};
  return {
    load: async () => ({ classes: [], values: {} }),
    saveClass: none,
    deleteClass: none,
    addImages: none,
    setThumbnail: none,
    deleteImage: none,
    setValue: none,
    replaceAll: none,
  };
}
