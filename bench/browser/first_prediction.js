// Time to the first prediction on a page: from loading the library's
// WebAssembly (tanuki.load(); TF.js: starting its wasm backend) through
// loading MobileNetV2 from its URL to the first batch-1 prediction read back.
// ?lib=tanuki|tfjs&threads=n. The figures land in window.firstPrediction
// (seconds), or window.firstPredictionError; bench/browser.mjs loads the page
// in a fresh browser context (cold) and then again in the same one (warm).
import { loadTfjsScripts, startTfjsWasm } from './tfjs_scripts.js';

const MODEL = '/dist/models/mobilenet_v2/model.json';
const params = new URLSearchParams(location.search);
const lib = params.get('lib');
const threads = Number(params.get('threads') ?? 1);

async function tanukiFirstPrediction() {
  const { default: tanuki } = await import('/wasm/js/index.js');
  const start = performance.now();
  const tk = await tanuki.load({ threads: threads === 1 ? false : threads });
  const loaded = performance.now();
  const model = await tk.loadLayersModel(MODEL);
  const modelLoaded = performance.now();
  const x = tk.zeros([1, 224, 224, 3]);
  model.predict(x).dataSync();
  return { start, loaded, modelLoaded, predicted: performance.now() };
}

async function tfjsFirstPrediction() {
  const tf = await loadTfjsScripts();
  const start = performance.now();
  await startTfjsWasm(tf, threads);
  const loaded = performance.now();
  const model = await tf.loadLayersModel(MODEL);
  const modelLoaded = performance.now();
  tf.tidy(() => model.predict(tf.zeros([1, 224, 224, 3]))).dataSync();
  return { start, loaded, modelLoaded, predicted: performance.now() };
}

try {
  const t = await (lib === 'tanuki' ? tanukiFirstPrediction() : tfjsFirstPrediction());
  window.firstPrediction = {
    seconds: (t.predicted - t.start) / 1000,
    loadSeconds: (t.loaded - t.start) / 1000,
    modelSeconds: (t.modelLoaded - t.loaded) / 1000,
    predictSeconds: (t.predicted - t.modelLoaded) / 1000,
    // From the start of navigation: the page, the library's scripts and all of the above.
    sinceNavigationSeconds: t.predicted / 1000,
  };
} catch (error) {
  window.firstPredictionError = String(error?.message ?? error);
}
