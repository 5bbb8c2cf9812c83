// The project in IndexedDB, so that it survives a reload: classes, their
// image Blobs, and named values (settings, the trained model's artifacts,
// training history, validation report, backbone choice).
const DB_NAME = 'tanuki';
const DB_VERSION = 1;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function finished(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    // The failing request's error: the transaction's own stays null until it
    // has aborted (WebKit fires error first, with transaction.error null).
    transaction.onerror = (event) => reject(event.target.error ?? transaction.error ?? new Error('the browser could not store the project'));
    transaction.onabort = () => reject(transaction.error ?? new Error('the storage transaction was aborted'));
  });
}

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

/** Opens the project database; resolves to the storage API used by the page. */
export async function openProjectStorage() {
  const db = await open();

  async function write(stores, body) {
    const transaction = db.transaction(stores, 'readwrite');
    body(transaction);
    await finished(transaction);
  }

  return {
    /** {classes: [{id, name, images: [{id, blob, name}]}], values: {key: value}} */
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
          images: images.filter((i) => i.classId === c.id).map(({ id, blob, name }) => ({ id, blob, name })),
        })),
        values: Object.fromEntries(keys.map((key, i) => [key, values[i]])),
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

    addImages(classId, images) {
      return write(['images'], (t) => {
        const store = t.objectStore('images');
        const base = Date.now() * 1000;
        images.forEach(({ id, blob, name }, i) => store.put({ id, classId, blob, name, order: base + i }));
      });
    },

    deleteImage(id) {
      return write(['images'], (t) => t.objectStore('images').delete(id));
    },

    setValue(key, value) {
      return write(['values'], (t) => (value === undefined ? t.objectStore('values').delete(key) : t.objectStore('values').put(value, key)));
    },

    /** Replaces everything (opening a project file). */
    replaceAll({ classes, values }) {
      return write(['classes', 'images', 'values'], (t) => {
        for (const name of ['classes', 'images', 'values']) t.objectStore(name).clear();
        const base = Date.now() * 1000;
        let n = 0;
        classes.forEach((c, order) => {
          t.objectStore('classes').put({ id: c.id, name: c.name, order });
          for (const { id, blob, name } of c.images) t.objectStore('images').put({ id, classId: c.id, blob, name, order: base + n++ });
        });
        for (const [key, value] of Object.entries(values)) if (value !== undefined) t.objectStore('values').put(value, key);
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
    deleteImage: none,
    setValue: none,
    replaceAll: none,
  };
}
