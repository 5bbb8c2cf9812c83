// The .tanuki project file: everything in one file (format in
// docs/project-format.md).
//
//   "TANUKI\r\n"               8 bytes, magic
//   header length N            4 bytes, unsigned little-endian
//   header                     N bytes, UTF-8 JSON
//   data                       the images' and the model's bytes, back to back
//
// The header gives every piece of data as {offset, length} within the data
// section. Reading slices the file lazily, so a large project is not copied
// into memory at once.
const MAGIC = 'TANUKI\r\n';
const VERSION = 1;
const MAX_HEADER = 64 * 1024 * 1024;

/** A Blob holding the project ({classes, settings, model, history, report, backbone}). */
export function writeProjectFile({ classes, settings, model, history, report, backbone }) {
  const parts = [];
  let offset = 0;
  const place = (blob) => {
    parts.push(blob);
    const range = { offset, length: blob.size };
    offset += blob.size;
    return range;
  };
  const header = {
    format: 'tanuki-project',
    version: VERSION,
    savedAt: new Date().toISOString(),
    settings,
    classes: classes.map((c) => ({
      name: c.name,
      images: c.images.map((image) => ({ name: image.name ?? '', type: image.blob.type, ...place(image.blob) })),
    })),
    model: model && {
      modelJson: model.artifacts.modelJson,
      metadata: model.metadata,
      info: model.info,
      savedAt: model.savedAt,
      weights: place(new Blob([model.artifacts.weightData])),
    },
    history,
    report,
    backbone: backboneEntry(backbone, place),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, json.length, true);
  return new Blob([MAGIC, length, json, ...parts], { type: 'application/x-tanuki-project' });
}

/** The backbone choice; a backbone chosen from disk travels with the project. */
function backboneEntry(spec, place) {
  if (spec?.kind === 'url') return { kind: 'url', url: spec.url };
  if (spec?.kind === 'catalog') return { kind: 'catalog', id: spec.id };
  if (spec?.kind === 'files') return { kind: 'files', files: spec.files.map((file) => ({ name: file.name, ...place(file) })) };
  return { kind: 'bundled' };
}

function fail(message) {
  throw new Error(`This is not a readable Tanuki project file: ${message}.`);
}

/** Reads a project file back; resolves to what writeProjectFile() took (model weights as bytes). */
export async function readProjectFile(file) {
  const start = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  if (start.length < 12 || new TextDecoder().decode(start.subarray(0, 8)) !== MAGIC) fail('it does not start with the Tanuki signature');
  const headerLength = new DataView(start.buffer).getUint32(8, true);
  if (headerLength > MAX_HEADER || 12 + headerLength > file.size) fail('its header is cut short');
  let header;
  try {
    header = JSON.parse(await file.slice(12, 12 + headerLength).text());
  } catch {
    fail('its header is not valid JSON');
  }
  if (header?.format !== 'tanuki-project') fail('its header does not describe a project');
  if (header.version !== VERSION) fail(`it is version ${header.version}; this page reads version ${VERSION}`);
  if (!Array.isArray(header.classes)) fail('it lists no classes');

  const dataStart = 12 + headerLength;
  const slice = ({ offset, length }, type) => {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || dataStart + offset + length > file.size) {
      fail('a piece of data lies outside the file');
    }
    return file.slice(dataStart + offset, dataStart + offset + length, type);
  };
  const classes = header.classes.map((c) => {
    if (typeof c?.name !== 'string' || !Array.isArray(c.images)) fail('a class has no name or no image list');
    return { name: c.name, images: c.images.map((image) => ({ name: String(image.name ?? ''), blob: slice(image, String(image.type ?? '')) })) };
  });
  const names = new Set(classes.map((c) => c.name));
  if (names.size !== classes.length) fail('two classes have the same name');

  let model = null;
  if (header.model) {
    const { modelJson, metadata, info, savedAt, weights } = header.model;
    if (!modelJson || !metadata?.classNames) fail('its model has no model.json or no class names');
    model = { artifacts: { modelJson, weightData: new Uint8Array(await slice(weights).arrayBuffer()) }, metadata, info: info ?? null, savedAt };
  }
  return {
    classes,
    settings: header.settings ?? {},
    model,
    history: Array.isArray(header.history) ? header.history : [],
    report: header.report ?? null,
    backbone: readBackbone(header.backbone, slice),
  };
}

function readBackbone(entry, slice) {
  if (entry?.kind === 'url' && typeof entry.url === 'string') return { kind: 'url', url: entry.url };
  if (entry?.kind === 'catalog' && typeof entry.id === 'string') return { kind: 'catalog', id: entry.id };
  if (entry?.kind === 'files' && Array.isArray(entry.files)) {
    return { kind: 'files', files: entry.files.map((f) => new File([slice(f)], String(f.name ?? 'model.json'))) };
  }
  return { kind: 'bundled' };
}
