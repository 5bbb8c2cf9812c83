// tk.image: pictures to float32 NHWC tensors [1, h, w, 3] for a model.
//
//   tk.image.decode(source, {size: [h, w], crop: 'center' | 'none', scale, offset})
//   await tk.image.decodeAsync(source, options)
//
// Sources: JPEG/PNG bytes (Uint8Array, Buffer, ArrayBuffer), a file path in
// Node, and in browsers ImageData, ImageBitmap, <img>, <canvas>,
// OffscreenCanvas, <video> (drawn to a canvas, then resized in the core from
// RGBA). Blobs and Files are read asynchronously: decodeAsync(). Without
// `size` the image keeps its own size; values are x * scale + offset
// (default 1 and 0: 0-255); transparency is composited on white.
import { FormatError, TanukiError, ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { fs } from './node_fs.js';

/**
 * Decode options as the JSON the core reads; the core checks them (once,
 * here, before any image is read) and its error is prefixed with `what`.
 */
export function imageOptionsJson(tk, options = {}, what = 'tk.image.decode()') {
  const json = JSON.stringify(options ?? {});
  try {
    tk.core.checkImageOptions(json);
  } catch (error) {
    throw error instanceof ValueError ? new ValueError(`${what}: ${error.message}`) : error;
  }
  return json;
}

const isBlob = (x) => typeof Blob !== 'undefined' && x instanceof Blob;
const DRAWABLE = ['HTMLImageElement', 'HTMLCanvasElement', 'HTMLVideoElement', 'ImageBitmap', 'OffscreenCanvas', 'VideoFrame'];
const isDrawable = (x) => DRAWABLE.some((name) => typeof globalThis[name] === 'function' && x instanceof globalThis[name]);
const isPixels = (x) =>
  x !== null && typeof x === 'object' && (x.data instanceof Uint8ClampedArray || x.data instanceof Uint8Array) &&
  Number.isInteger(x.width) && Number.isInteger(x.height);

function asBytes(source) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
}

function describe(source) {
  if (source === null) return 'null';
  if (typeof source !== 'object') return typeof source;
  return source.constructor?.name ?? 'object';
}

/** A <img>, <canvas>, <video>, ImageBitmap... drawn at its own size: {data (RGBA), width, height}. */
function drawToPixels(source) {
  const width = source.naturalWidth || source.videoWidth || source.displayWidth || source.width;
  const height = source.naturalHeight || source.videoHeight || source.displayHeight || source.height;
  if (!width || !height) {
    throw new ValueError(`the ${describe(source)} has no pixels yet: wait until it has loaded, or use tk.image.decodeAsync()`);
  }
  let canvas;
  if (typeof OffscreenCanvas === 'function') {
    canvas = new OffscreenCanvas(width, height);
  } else if (typeof document === 'object') {
    canvas = Object.assign(document.createElement('canvas'), { width, height });
  } else {
    throw new ValueError(`cannot draw a ${describe(source)}: there is no canvas here; pass the image's bytes instead`);
  }
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(source, 0, 0, width, height);
  try {
    return context.getImageData(0, 0, width, height);
  } catch (error) {
    throw new ValueError(`cannot read the pixels of this ${describe(source)} (${error.message}); a cross-origin image needs CORS (crossOrigin = 'anonymous')`);
  }
}

function readPath(path) {
  if (!fs) throw new ValueError(`a file path (${path}) can only be read in Node; in a browser pass bytes, a File or an image element`);
  try {
    return fs.readFileSync(path);
  } catch (error) {
    throw new FormatError(`cannot read image file ${path}: ${error.code === 'ENOENT' ? 'it does not exist' : error.message}`);
  }
}

/**
 * What the core can take: {bytes} (JPEG/PNG) or {pixels} (RGBA), plus a
 * name for error messages. Throws for sources that need decodeAsync().
 */
export function resolveSource(source) {
  if (typeof source === 'string') return { bytes: readPath(source), name: source };
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return { bytes: asBytes(source) };
  if (isBlob(source)) {
    throw new ValueError(`a ${describe(source)} can only be read asynchronously: use await tk.image.decodeAsync(${source.name ? 'file' : 'blob'})`);
  }
  if (isPixels(source)) return { pixels: source };
  if (isDrawable(source)) return { pixels: drawToPixels(source) };
  throw new ValueError(
    `cannot decode a ${describe(source)}: pass JPEG/PNG bytes (Uint8Array, ArrayBuffer, Buffer), a file path in Node, ImageData, ` +
      'an ImageBitmap, an <img>, <canvas> or <video>, or (with decodeAsync) a Blob or File',
  );
}

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47];
const startsWith = (bytes, magic) => magic.every((b, i) => bytes[i] === b);

/** resolveSource() for every source, reading Blobs, Files and paths without blocking. */
export async function resolveSourceAsync(source) {
  if (typeof source === 'string' && fs) {
    try {
      return { bytes: await fs.promises.readFile(source), name: source };
    } catch (error) {
      throw new FormatError(`cannot read image file ${source}: ${error.code === 'ENOENT' ? 'it does not exist' : error.message}`);
    }
  }
  if (isBlob(source)) {
    const bytes = new Uint8Array(await source.arrayBuffer());
    // JPEG and PNG go to the core (EXIF orientation, the same pixels as in
    // Node); other formats the browser can decode are drawn instead.
    if (startsWith(bytes, JPEG) || startsWith(bytes, PNG) || typeof createImageBitmap !== 'function') {
      return { bytes, name: source.name };
    }
    const bitmap = await createImageBitmap(source).catch(() => null);
    if (!bitmap) return { bytes, name: source.name };  // the core names the format
    try {
      return { pixels: drawToPixels(bitmap), name: source.name };
    } finally {
      bitmap.close();
    }
  }
  if (typeof HTMLImageElement === 'function' && source instanceof HTMLImageElement && !source.complete) {
    await source.decode().catch(() => {
      throw new FormatError(`the <img> at ${source.currentSrc || source.src} could not be loaded or decoded`);
    });
  }
  return resolveSource(source);
}

// Core errors about one file say which file.
function named(error, name) {
  if (!name || !(error instanceof TanukiError)) return error;
  return new error.constructor(`${name}: ${error.message}`);
}

/** A [1, h, w, 3] tensor from a resolved source. */
export function tensorFrom(tk, resolved, optionsJson) {
  try {
    const handle = resolved.bytes
      ? tk.core.decodeImage(resolved.bytes, optionsJson)
      : tk.core.imageFromPixels(resolved.pixels.data, resolved.pixels.width, resolved.pixels.height, optionsJson);
    return new Tensor(tk, handle);
  } catch (error) {
    throw named(error, resolved.name);
  }
}

/** Writes a resolved source as row `index` of the [N, h, w, 3] tensor `batch`. */
export function writeInto(tk, resolved, optionsJson, batch, index) {
  try {
    if (resolved.bytes) {
      tk.core.decodeImageIntoBatch(resolved.bytes, optionsJson, batch.handle, index);
    } else {
      const { data, width, height } = resolved.pixels;
      tk.core.imageFromPixelsIntoBatch(data, width, height, optionsJson, batch.handle, index);
    }
  } catch (error) {
    throw named(error, resolved.name);
  }
}

export function makeImageApi(tk) {
  return {
    /** A [1, h, w, 3] float32 tensor; synchronous for every source but Blobs and Files. */
    decode(source, options) {
      const json = imageOptionsJson(tk, options);
      return tensorFrom(tk, resolveSource(source), json);
    },
    /** decode() for every source, Blobs and Files included, reading without blocking. */
    async decodeAsync(source, options) {
      const json = imageOptionsJson(tk, options, 'tk.image.decodeAsync()');
      return tensorFrom(tk, await resolveSourceAsync(source), json);
    },
  };
}
