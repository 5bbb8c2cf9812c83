// Finds and instantiates the WebAssembly module in browsers, workers and Node.
//
// Two builds sit side by side in dist/wasm/: tanuki.{mjs,wasm}, single-
// threaded, and tanuki-threaded.{mjs,wasm,worker.js}, whose kernels split
// batch work over Web Workers sharing one memory. `threads` chooses:
//   n                 n threads (1: the single-threaded build); needs
//                     SharedArrayBuffer: Node, or a cross-origin isolated page
//   'auto' (default)  one thread per core where SharedArrayBuffer is available
//                     (Node, cross-origin isolated pages), else single-threaded
//                     (and in bundled apps, see threadedFilesUnrenamed)
//   false             the single-threaded build
// A third, tanuki-relaxed.{mjs,wasm}, is the single-threaded build whose GEMM
// and depthwise kernels use relaxed SIMD's fused multiply-add
// (f32x4.relaxed_madd); `simd` chooses:
//   'auto' (default)  relaxed where the engine validates relaxed SIMD and one
//                     thread runs (there is no threaded relaxed build); a
//                     relaxed build that cannot start falls back to the plain one
//   'relaxed'         the relaxed build (single-threaded); fails where the
//                     engine has no relaxed SIMD
//   'plain'           never the relaxed build
// The builds have the same API and errors; results agree to float rounding
// (a fused multiply-add rounds once where a multiply then an add rounds twice).
//
// Browsers fetch the files relative to this one (override with `locateFile`
// or `baseUrl` for CDNs and bundlers); Node reads the .wasm from disk and
// passes the bytes in, because the glue's own fetch() cannot take a file path.

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';
// Kernels split work over at most this many threads (the build's limit).
const MAX_THREADS = 16;

async function coreCount() {
  if (isNode) {
    const os = await import('node:os');
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  return globalThis.navigator?.hardwareConcurrency ?? 1;
}

/** The number of threads `threads` asks for where this code runs (1: single-threaded build). */
export async function resolveThreads(threads = 'auto') {
  if (threads === false) return 1;
  const shared = typeof SharedArrayBuffer === 'function' && (isNode || globalThis.crossOriginIsolated === true);
  if (threads === 'auto') return shared ? Math.min(MAX_THREADS, await coreCount()) : 1;
  if (!Number.isInteger(threads) || threads < 1)
    throw new TypeError(`threads must be 'auto', false or a positive integer, got ${threads}`);
  if (threads > 1 && !shared)
    throw new Error('threads > 1 needs SharedArrayBuffer: serve the page cross-origin isolated (COOP/COEP headers)');
  return Math.min(MAX_THREADS, threads);
}

// The default locations are literals, so that bundlers (Vite, webpack, Rollup)
// see the files and emit them with the bundle.
const builds = {
  tanuki: {
    importGlue: () => import('../../dist/wasm/tanuki.mjs'),
    wasmUrl: () => new URL('../../dist/wasm/tanuki.wasm', import.meta.url).href,
  },
  'tanuki-relaxed': {
    importGlue: () => import('../../dist/wasm/tanuki-relaxed.mjs'),
    wasmUrl: () => new URL('../../dist/wasm/tanuki-relaxed.wasm', import.meta.url).href,
  },
  'tanuki-threaded': {
    importGlue: () => import('../../dist/wasm/tanuki-threaded.mjs'),
    wasmUrl: () => new URL('../../dist/wasm/tanuki-threaded.wasm', import.meta.url).href,
    workerUrl: () => new URL('../../dist/wasm/tanuki-threaded.worker.js', import.meta.url).href,
  },
};

// Whether the threaded build's files are served under their own names. A
// bundler renames them (tanuki-threaded-1a2b3c.wasm), and Emscripten's helper
// workers cannot then find the renamed glue: such apps get the
// single-threaded build unless they ask for threads and serve dist/wasm as is.
function threadedFilesUnrenamed() {
  return new URL(builds['tanuki-threaded'].wasmUrl()).pathname.endsWith('/tanuki-threaded.wasm');
}

// The smallest module with a SIMD instruction (v128.const; i8x16.splat...):
// both builds are compiled for WebAssembly SIMD.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

// The same with f32x4.relaxed_madd (0xfd 0x85 0x02) over three splats: valid
// only where the engine runs relaxed SIMD (Chrome and Edge 114 and later;
// Node 20 with --experimental-wasm-relaxed-simd).
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0, 65, 0, 253, 15, 65, 0, 253, 15, 65,
  0, 253, 15, 253, 133, 2, 11,
]);

/** Whether this engine runs relaxed SIMD (the tanuki-relaxed build). */
export function hasRelaxedSimd() {
  return typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_SIMD_PROBE);
}

/** Throws a message naming what is missing where the engine cannot run Tanuki at all. */
export function checkEngine() {
  if (typeof WebAssembly !== 'object') throw new Error('this browser has no WebAssembly, which Tanuki needs');
  if (!WebAssembly.validate(SIMD_PROBE)) {
    throw new Error('this browser has no WebAssembly SIMD, which Tanuki needs (Chrome and Edge 91, Firefox 89, Safari 16.4 and later have it)');
  }
}

export async function instantiate(options = {}) {
  checkEngine();
  const simd = options.simd ?? 'auto';
  if (!['auto', 'relaxed', 'plain'].includes(simd)) throw new TypeError(`simd must be 'auto', 'relaxed' or 'plain', got ${simd}`);
  if (simd === 'relaxed' && !hasRelaxedSimd())
    throw new Error("simd: 'relaxed' needs an engine with relaxed SIMD (Chrome or Edge 114 and later; Node with --experimental-wasm-relaxed-simd)");
  if (simd === 'relaxed' && options.threads !== undefined && options.threads !== 'auto' && (await resolveThreads(options.threads)) > 1)
    throw new Error("simd: 'relaxed' is single-threaded (there is no threaded relaxed build): pass threads: false or 1");
  if (simd === 'relaxed') return instantiateBuild({ ...options, threads: 1, relaxed: true });
  if (simd === 'auto' && hasRelaxedSimd() && (await resolveThreadsFor(options)) === 1) {
    try {
      return await instantiateBuild({ ...options, relaxed: true });
    } catch (error) {
      // A relaxed build that cannot start (files not served, an engine that
      // validates the probe but refuses the module) leaves the plain one.
      console.warn(`Tanuki: the relaxed-SIMD build could not start (${error.message}); using the plain SIMD build`);
    }
  }
  return instantiatePlain(options);
}

async function instantiatePlain(options) {
  const automatic = options.threads === undefined || options.threads === 'auto';
  try {
    return await instantiateBuild(options);
  } catch (error) {
    // Threads chosen automatically that cannot start (a shared memory the
    // browser refuses to allocate, helper workers that never run) fall back
    // to the single-threaded build: slower, but it trains.
    if (!automatic || !(await resolveThreadsFor(options) > 1)) throw error;
    console.warn(`Tanuki: the threaded build could not start (${error.message}); using the single-threaded build`);
    return instantiateBuild({ ...options, threads: 1 });
  }
}

// The thread count instantiateBuild() picks for these options.
async function resolveThreadsFor({ locateFile, baseUrl, threads }) {
  const automatic = threads === undefined || threads === 'auto';
  const bundled = !isNode && !locateFile && !baseUrl && !threadedFilesUnrenamed();
  return automatic && bundled ? 1 : resolveThreads(threads);
}

async function instantiateBuild({ locateFile, baseUrl, threads, relaxed = false } = {}) {
  const count = relaxed ? 1 : await resolveThreadsFor({ locateFile, baseUrl, threads });
  const name = relaxed ? 'tanuki-relaxed' : count > 1 ? 'tanuki-threaded' : 'tanuki';
  const build = builds[name];
  const defaultBase = new URL('./', build.wasmUrl());
  const base = baseUrl ? new URL(baseUrl, globalThis.location?.href ?? defaultBase) : defaultBase;
  const custom = Boolean(locateFile || baseUrl);
  const locate =
    locateFile ??
    ((file) => {
      if (!custom && file === `${name}.wasm`) return build.wasmUrl();
      if (!custom && file === `${name}.worker.js`) return build.workerUrl();
      return new URL(file, base).href;
    });
  const { default: createTanukiModule } = await (custom
    ? import(/* @vite-ignore */ /* webpackIgnore: true */ locate(`${name}.mjs`))
    : build.importGlue());
  const options = { locateFile: (file) => locate(file), tanukiHelpers: count - 1 };
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    const path = (url) => (url.startsWith('file:') ? fileURLToPath(url) : url);
    options.wasmBinary = await readFile(path(locate(`${name}.wasm`)));
    // Node's Worker takes a path, not a file: URL string.
    options.locateFile = (file) => (file.endsWith('.worker.js') ? path(locate(file)) : locate(file));
  }
  const core = await createTanukiModule(options);
  core.tanukiSimd = relaxed ? 'relaxed' : 'plain';
  if (count > 1) await startThreads(core, count);
  return core;
}

// How long helper threads may take to start before the single-threaded build
// is used instead. Measured in time, not in waits: a chain of 1 ms timers
// waits 4 ms each in Firefox (timers nested past five levels are clamped), so
// 10,000 of them were 41 s there: a page whose helpers did not start showed
// its backbone loading for 41 s before falling back.
const HELPER_START_MS = 10_000;

// Starts the pool's helper threads and waits, without blocking, until they
// run: their workers start on this thread's event loop.
async function startThreads(core, count) {
  core.setThreadCount(count);
  core.startThreads();
  const deadline = Date.now() + HELPER_START_MS;
  while (core.startedHelperCount() < count - 1) {
    if (Date.now() > deadline) throw new Error(`only ${core.startedHelperCount()} of ${count - 1} helper threads started in ${HELPER_START_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  // Idle helpers must not keep a Node process alive.
  if (isNode) for (const worker of [...core.PThread.runningWorkers, ...core.PThread.unusedWorkers]) worker.unref();
}
