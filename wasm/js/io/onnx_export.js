// model.toOnnx() and model.save('model.onnx'): the model as an ONNX file for
// ONNX Runtime and other ONNX runtimes. The graph is built and serialized in
// the core (core/io/onnx/onnx_export.h); this file checks the options and
// writes or downloads the bytes.
import { FormatError, ValueError } from '../errors.js';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';

/** Whether save(destination) means an ONNX file: a path or URL ending in .onnx. */
export function isOnnxDestination(destination) {
  if (destination instanceof URL) return /\.onnx$/i.test(destination.pathname);
  return typeof destination === 'string' && /\.onnx$/i.test(destination);
}

/**
 * {onnx: Uint8Array, droppedLayers: string[]}. opset: 11 to 21 (default 13);
 * inputLayout: 'nhwc' (default, Tanuki's [batch, h, w, c]) or 'nchw' (image
 * inputs and outputs as [batch, c, h, w]). droppedLayers names the layers left
 * out because they are the identity in inference (Dropout, random augmentation).
 */
export function onnxArtifacts(tk, model, { opset = 13, inputLayout = 'nhwc' } = {}) {
  if (!Number.isInteger(opset)) throw new ValueError(`opset must be an integer, got ${opset}`);
  if (inputLayout !== 'nhwc' && inputLayout !== 'nchw') throw new ValueError(`inputLayout must be 'nhwc' or 'nchw', got ${inputLayout}`);
  const exported = tk.core.exportOnnxModel(model.handle, JSON.stringify({ opset, inputLayout }));
  try {
    const start = exported.bytesPointer();
    return { onnx: tk.core.HEAPU8.slice(start, start + exported.bytesSize()), droppedLayers: JSON.parse(exported.dropped()) };
  } finally {
    exported.delete();
  }
}

/**
 * Writes the ONNX file: a Node path or file:// URL (written to a temporary
 * file and renamed, so an interrupted save leaves no half-written model), or
 * 'downloads://name.onnx' in a browser.
 */
export async function saveOnnxModel(tk, model, destination, options = {}) {
  const { onnx, droppedLayers } = onnxArtifacts(tk, model, options);
  const text = String(destination);
  if (text.startsWith('downloads://')) {
    const url = URL.createObjectURL(new Blob([onnx], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = text.slice('downloads://'.length) || 'model.onnx';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    return { bytes: onnx.length, droppedLayers };
  }
  if (!isNode) throw new ValueError("in a browser, save an ONNX model to 'downloads://name.onnx', or use model.toOnnx()");
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const file = path.resolve(destination instanceof URL || text.startsWith('file://') ? fileURLToPath(text) : text);
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    await fs.writeFile(tmp, onnx);
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw new FormatError(`cannot save the ONNX model to ${file}: ${error.message}`);
  }
  return { path: file, bytes: onnx.length, droppedLayers };
}
