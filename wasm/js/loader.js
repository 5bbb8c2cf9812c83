// Finds and instantiates the WebAssembly module in browsers, workers and Node.
//
// The .wasm sits next to the Emscripten glue (dist/wasm/). Browsers fetch it
// relative to this file (override with `locateFile` or `baseUrl` for CDNs and
// bundlers); Node reads it from disk and passes the bytes in, because the
// glue's own fetch() cannot take a file path.

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';

export async function instantiate({ locateFile, baseUrl } = {}) {
  const defaultBase = new URL('../../dist/wasm/', import.meta.url);
  const base = baseUrl ? new URL(baseUrl, globalThis.location?.href ?? defaultBase) : defaultBase;
  const locate = locateFile ?? ((file) => new URL(file, base).href);
  const { default: createTanukiModule } = await import(locate('tanuki.mjs'));
  const options = { locateFile: (file) => locate(file) };
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    const wasmUrl = locate('tanuki.wasm');
    options.wasmBinary = await readFile(wasmUrl.startsWith('file:') ? fileURLToPath(wasmUrl) : wasmUrl);
  }
  return createTanukiModule(options);
}
