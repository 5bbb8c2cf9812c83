// Drag-and-drop of files and whole folders onto an element. Folders are
// walked with webkitGetAsEntry(); each file remembers the top-level folder it
// came from so that a dropped folder tree can become one class per folder.
const MAX_FILES = 5000;

export function acceptDrops(element, onDrop) {
  let depth = 0;
  const hasFiles = (event) => event.dataTransfer?.types.includes('Files');
  const leave = () => {
    depth = 0;
    element.classList.remove('dragging');
  };
  element.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    depth += 1;
    element.classList.add('dragging');
  });
  element.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    event.dataTransfer.dropEffect = 'copy';
  });
  element.addEventListener('dragleave', (event) => {
    event.stopPropagation();
    depth -= 1;
    if (depth <= 0) leave();
  });
  element.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    leave();
    onDrop(droppedFiles(event.dataTransfer));
  });
}

/** A drop anywhere else must not make the browser navigate away to the file. */
export function ignoreStrayDrops() {
  for (const type of ['dragover', 'drop']) window.addEventListener(type, (event) => event.preventDefault());
}

/** Resolves to [{file, folder}] (folder: the dropped folder's name, or null). */
function droppedFiles(dataTransfer) {
  // Entries and files must be taken during the drop event itself; reading them can wait.
  const items = Array.from(dataTransfer.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => ({ entry: item.webkitGetAsEntry?.() ?? null, file: item.getAsFile() }));
  if (!items.length || items.some((item) => !item.entry)) return Promise.resolve(Array.from(dataTransfer.files, (file) => ({ file, folder: null })));
  return walk(items);
}

/** An entry's File; for a dropped file, the drop's own File where the entry has no readable path (WebKit, for files not from disk). */
function entryFile(entry, fallback) {
  return new Promise((resolve, reject) => entry.file(resolve, reject)).catch((error) => {
    if (fallback) return fallback;
    throw new Error(`${entry.fullPath || entry.name} cannot be read: ${error?.message ?? error}`);
  });
}

async function walk(items) {
  const found = [];
  const visit = async (entry, folder, dropped = null) => {
    if (found.length >= MAX_FILES) return;
    if (entry.isFile) {
      found.push({ file: await entryFile(entry, dropped), folder });
    } else if (entry.isDirectory) {
      for (const child of await readAll(entry.createReader())) await visit(child, folder ?? entry.name);
    }
  };
  for (const { entry, file } of items) await visit(entry, null, file);
  return found;
}

async function readAll(reader) {
  const all = [];
  for (;;) {
    // readEntries() hands out at most ~100 entries per call.
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) return all.filter((e) => !e.name.startsWith('.'));
    all.push(...batch);
  }
}
