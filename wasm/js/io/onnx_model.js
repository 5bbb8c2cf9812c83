// tk.loadOnnxModel(source, options) and tk.loadModel(source, options), which
// tells the formats apart by content: a layers-model model.json, a
// graph-model model.json, or ONNX bytes.
import { FormatError, ValueError } from '../errors.js';
import { isGraphModelJson, loadGraphModel } from './graph_model.js';
import { loadLayersModel } from './layers_model.js';
import { MAX_MODEL_BYTES, resolveSource } from './sources.js';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';

function asBytes(data, what) {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new ValueError(`${what} must be a Uint8Array or an ArrayBuffer`);
}

/** The bytes of a single-file source: URL, Node path, File/Blob, or bytes. */
async function readSource(source, fetchOptions) {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return { bytes: asBytes(source, 'the model'), description: 'model bytes' };
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    return { bytes: new Uint8Array(await source.arrayBuffer()), description: source.name ?? 'blob' };
  }
  const isUrl = source instanceof URL || (typeof source === 'string' && (/^[a-z][a-z0-9+.-]*:\/\//i.test(source) || !isNode));
  if (isUrl && !(isNode && source instanceof URL && source.protocol === 'file:')) {
    const url = new URL(source, globalThis.location?.href).href;
    let response;
    try {
      response = await fetch(url, fetchOptions);
    } catch (error) {
      throw new FormatError(`cannot fetch the model from ${url}: ${error.message}`);
    }
    if (!response.ok) throw new FormatError(`cannot fetch the model from ${url}: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > MAX_MODEL_BYTES) throw new FormatError(`the model at ${url} is larger than the ${MAX_MODEL_BYTES} bytes accepted`);
    return { bytes, description: url };
  }
  if (typeof source === 'string' || source instanceof URL) {
    const fs = await import('node:fs/promises');
    const file = source instanceof URL ? decodeURIComponent(source.pathname) : source;
    const bytes = await fs.readFile(file).catch((e) => {
      throw new FormatError(`cannot read ${file}: ${e.code ?? e.message}`);
    });
    return { bytes: new Uint8Array(bytes), description: file };
  }
  throw new ValueError('loadOnnxModel() takes a URL, a path (Node), a File, or the bytes of an .onnx file');
}

/**
 * Imports an ONNX model as a functional model of Tanuki layers (NHWC: image
 * inputs become [batch, h, w, c]). Options: inputShape ([h, w, c], fixes
 * dynamic dimensions), externalData ({location: bytes} for initializers
 * stored outside the .onnx file), fetchOptions.
 */
export async function loadOnnxModel(tk, source, { inputShape, externalData = {}, fetchOptions } = {}) {
  const from = await readSource(source, fetchOptions);
  const ranges = {};
  const parts = [];
  let total = 0;
  for (const [name, data] of Object.entries(externalData)) {
    const bytes = asBytes(data, `externalData['${name}']`);
    ranges[name] = [total, bytes.length];
    parts.push(bytes);
    total += bytes.length;
  }
  const external = new Uint8Array(total);
  parts.reduce((offset, bytes) => (external.set(bytes, offset), offset + bytes.length), 0);
  const options = JSON.stringify({ inputShape: inputShape ?? null, externalData: ranges });
  const model = tk.wrapModel(tk.core.loadOnnxModel(from.bytes, options, external));
  model.source = from.description;
  return model;
}

function looksLikeJson(bytes) {
  for (const b of bytes.subarray(0, 64)) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0xef || b === 0xbb || b === 0xbf) continue;
    return b === 0x7b;  // '{'
  }
  return false;
}

/** A model.json source (directory, files, artifacts) as a layers or a graph model, by its content. */
async function loadTfjsModel(tk, source, options) {
  let json;
  try {
    json = JSON.parse(await (await resolveSource(source, options)).modelJson());
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;  // invalid JSON: loadLayersModel names the problem
  }
  return isGraphModelJson(json) ? loadGraphModel(tk, source, options) : loadLayersModel(tk, source, options);
}

/** One entry point for every format Tanuki reads; the format is recognised by content. */
export async function loadModel(tk, source, options = {}) {
  const isArtifacts = source && typeof source === 'object' && 'modelJson' in source;
  const isFileList = Array.isArray(source) || (typeof FileList !== 'undefined' && source instanceof FileList);
  if (isFileList) {
    const files = Array.from(source);
    const onnx = files.find((f) => f.name.endsWith('.onnx'));
    if (!onnx) return loadTfjsModel(tk, source, options);
    const externalData = { ...options.externalData };
    for (const f of files) if (f !== onnx && !(f.name in externalData)) externalData[f.name] = new Uint8Array(await f.arrayBuffer());
    return loadOnnxModel(tk, onnx, { ...options, externalData });
  }
  if (isArtifacts) return loadTfjsModel(tk, source, options);
  if (isNode && typeof source === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    const fs = await import('node:fs/promises');
    // A folder, or nothing there (the model.json loaders name the missing file).
    const stat = await fs.stat(source).catch(() => null);
    if (!stat || stat.isDirectory()) return loadTfjsModel(tk, source, options);
  }
  const from = await readSource(source, options.fetchOptions);
  if (!looksLikeJson(from.bytes)) return loadOnnxModel(tk, from.bytes, options).then((m) => Object.assign(m, { source: from.description }));
  let json;
  try {
    json = JSON.parse(new TextDecoder().decode(from.bytes));
  } catch (error) {
    throw new FormatError(`${from.description} is neither an ONNX file nor valid JSON: ${error.message}`);
  }
  if (isGraphModelJson(json)) {
    // Bytes of model.json alone carry no shards: only constants written inline load from them.
    const isBytes = source instanceof Uint8Array || source instanceof ArrayBuffer || ArrayBuffer.isView(source);
    return loadGraphModel(tk, isBytes ? { modelJson: json, weightData: new Uint8Array(0) } : source, options);
  }
  if (!json.modelTopology) throw new FormatError(`${from.description} is JSON but not a TF.js model.json (no modelTopology)`);
  return loadLayersModel(tk, source, options);
}
