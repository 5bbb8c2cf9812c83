// Finds and instantiates the WebAssembly module in browsers, workers and Node.
//
// The .wasm sits next to the Emscripten glue (dist/wasm/). Browsers fetch it
// relative to this file (override with `locateFile` or `baseUrl` for CDNs and
// bundlers); Node reads it from disk and passes the bytes in, because the
// glue's own fetch() cannot take a file path.

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';

// The default locations are literals, so that bundlers (Vite, webpack 5) see
// both files and emit them with the bundle.
const importDefaultGlue = () => import('../../dist/wasm/tanuki.mjs');
const defaultWasmUrl = () => new URL('../../dist/wasm/tanuki.wasm', import.meta.url).href;

export async function instantiate({ locateFile, baseUrl } = {}) {
  const defaultBase = new URL('./', defaultWasmUrl());
  const base = baseUrl ? new URL(baseUrl, globalThis.location?.href ?? defaultBase) : defaultBase;
  const custom = Boolean(locateFile || baseUrl);
  const locate = locateFile ?? ((file) => (!custom && file === 'tanuki.wasm' ? defaultWasmUrl() : new URL(file, base).href));
  const { default: createTanukiModule } = await (custom
    ? import(/* @vite-ignore */ /* webpackIgnore: true */ locate('tanuki.mjs'))
    : importDefaultGlue());
  const options = { locateFile: (file) => locate(file) };
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    const wasmUrl = locate('tanuki.wasm');
    options.wasmBinary = await readFile(wasmUrl.startsWith('file:') ? fileURLToPath(wasmUrl) : wasmUrl);
  }
  return createTanukiModule(options);
}
