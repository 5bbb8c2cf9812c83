// How much of the browser's storage the page uses (navigator.storage.estimate)
// and whether the browser keeps it (persistent storage, asked for once the
// project holds images: otherwise a browser short of space may delete the
// photos without asking). Where the Storage API is missing nothing is shown.
const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** 362 MB, 1.5 GB, 812 B. */
export function byteText(n) {
  let unit = 0;
  let value = n;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit > 0 && value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

export function bindStorageUse({ line, usage, persistence, store }) {
  const api = globalThis.navigator?.storage;
  let asked = false;
  let drawing = null;
  let again = false;

  async function draw() {
    const [estimate, persisted] = await Promise.all([api.estimate(), api.persisted?.()]);
    if (!Number.isFinite(estimate?.usage) || !Number.isFinite(estimate?.quota)) return;
    usage.textContent = `Storage: ${byteText(estimate.usage)} used of ${byteText(estimate.quota)} available to this page.`;
    persistence.textContent =
      persisted === undefined ? '' : persisted ? 'The browser keeps it until you delete it (persistent storage).' : 'The browser may delete it when it runs short of space (storage is not persistent).';
    persistence.dataset.persisted = String(persisted);
    line.hidden = false;
  }

  /** Draws the figures again (after images are stored or removed, after training); calls made meanwhile coalesce. */
  function refresh() {
    if (!api?.estimate) return;
    if (drawing) {
      again = true;
      return;
    }
    drawing = draw()
      .catch(() => {})
      .finally(() => {
        drawing = null;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  async function askToPersist() {
    try {
      if (!(await api.persisted?.())) await api.persist();
    } catch {
      // Refused or unavailable: the line says the storage is not persistent.
    }
    refresh();
  }

  store.watch('classes', (classes) => {
    if (asked || !api?.persist || !classes.some((c) => c.images.length > 0)) return;
    asked = true;
    askToPersist();
  });
  store.watch('training', (training) => {
    if (!training.running) refresh();
  });
  refresh();
  return { refresh };
}
