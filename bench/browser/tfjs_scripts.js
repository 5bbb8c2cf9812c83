// Loads TensorFlow.js 4.22 into a page the way a page without a bundler
// does: its minified browser bundles (core, layers, the wasm backend) as
// classic scripts, which together fill the global `tf`. Resolves to `tf`
// with the wasm backend started on `threads` threads.
const BUNDLES = ['tfjs-core/dist/tf-core.min.js', 'tfjs-layers/dist/tf-layers.min.js', 'tfjs-backend-wasm/dist/tf-backend-wasm.min.js'];

function script(src) {
  return new Promise((resolve, reject) => {
    const el = document.createElement('script');
    el.src = src;
    el.onload = resolve;
    el.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(el);
  });
}

/** The TF.js bundles' scripts, in order (each needs the one before). */
export async function loadTfjsScripts() {
  for (const bundle of BUNDLES) await script(`/tfjs/${bundle}`);
  return globalThis.tf;
}

/** Starts TF.js's wasm backend; its threaded SIMD build when threads > 1 (cross-origin isolated pages only). */
export async function startTfjsWasm(tf, threads) {
  // Its C++ takes half of navigator.hardwareConcurrency as the physical cores
  // (counting two hyperthreads per core) and runs at most that many threads:
  // on a 2-core machine, 1 whatever it is asked. It is shown twice the
  // threads asked for, so that it runs them.
  if (threads > 1 && navigator.hardwareConcurrency < 2 * threads) {
    Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  }
  tf.wasm.setWasmPaths('/tfjs/tfjs-backend-wasm/dist/');
  tf.wasm.setThreadsCount(threads);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
  if (!(await tf.setBackend('wasm'))) throw new Error('TF.js: the wasm backend did not start');
  await tf.ready();
  const running = tf.wasm.getThreadsCount();
  if (running !== threads) throw new Error(`TF.js's wasm backend runs ${running} threads, ${threads} asked for`);
}
