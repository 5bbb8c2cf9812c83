// The benchmark page: Tanuki and TF.js's wasm backend side by side in one
// page, on the thread count of the page's ?threads= (1: Tanuki's
// single-threaded build and TF.js's SIMD build; more: both threaded builds).
// bench/browser.mjs drives it through window.bench: setup() once, then one
// call per measurement, so that the libraries can take turns within each
// round. Each call returns the seconds it took, or throws.
import tanuki from '/wasm/js/index.js';
import { fusedPredictor } from '/bench/tfjs_fused.mjs';
import { loadTfjsScripts, startTfjsWasm } from './tfjs_scripts.js';

const MODEL = '/dist/models/mobilenet_v2/model.json';
const threads = Number(new URLSearchParams(location.search).get('threads') ?? 1);

let tk, ours, tf, theirs, fused;
const inputs = {};
const heads = {};

const seconds = async (fn) => {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
};

// Layers from `trainableFrom` on train (all of them when undefined).
function setTrainable(model, trainableFrom) {
  let on = trainableFrom === undefined;
  for (const layer of model.layers) {
    if (layer.name === trainableFrom) on = true;
    layer.trainable = on;
  }
}

window.bench = {
  async setup() {
    tk = await tanuki.load({ threads: threads === 1 ? false : threads });
    if (tk.threads !== threads) throw new Error(`Tanuki runs ${tk.threads} threads, ${threads} asked for`);
    ours = await tk.loadLayersModel(MODEL);
    tf = await loadTfjsScripts();
    await startTfjsWasm(tf, threads);
    theirs = await tf.loadLayersModel(MODEL);
    fused = fusedPredictor(tf, theirs);
    const probe = tf.randomUniform([2, 224, 224, 3]);
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(fused(probe), theirs.predict(probe)))).dataSync()[0]);
    probe.dispose();
    if (!(gap < 1e-3)) throw new Error(`the fused TF.js path disagrees with the layers model by ${gap}`);
    return { crossOriginIsolated, tanukiThreads: tk.threads, tfjsThreads: tf.wasm.getThreadsCount(), userAgent: navigator.userAgent };
  },

  /** One inference of a batch: lib 'tanuki', 'tfjs' (its layers model) or 'tfjs fused'. */
  inference(lib, batch) {
    if (lib === 'tanuki') {
      const x = (inputs[`tanuki ${batch}`] ??= tk.randomUniform([batch, 224, 224, 3]));
      return seconds(() => ours.predict(x).dispose());
    }
    const x = (inputs[`tfjs ${batch}`] ??= tf.randomUniform([batch, 224, 224, 3]));
    return seconds(() => (lib === 'tfjs' ? tf.tidy(() => theirs.predict(x)).dataSync() : fused(x).dataSync()));
  },

  /** One Adam step on a batch of 8, 5 classes, layers from trainableFrom on trainable (all when undefined). */
  async fineTuneStep(lib, trainableFrom) {
    if (lib === 'tanuki') {
      setTrainable(ours, trainableFrom);
      ours.compile({ optimizer: tk.train.adam(1e-4), loss: 'categoricalCrossentropy' });
      const x = tk.randomUniform([8, 224, 224, 3]);
      const y = tk.tensor(Array.from({ length: 40 }, (_, i) => (i % 5 === Math.floor(i / 5) % 5 ? 1 : 0)), [8, 5]);
      try {
        return await seconds(() => ours.trainOnBatch(x, y));
      } finally {
        x.dispose();
        y.dispose();
      }
    }
    setTrainable(theirs, trainableFrom);
    theirs.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([8, 224, 224, 3]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2], 'int32'), 5);
    try {
      return await seconds(() => theirs.trainOnBatch(x, y));
    } finally {
      tf.dispose([x, y]);
    }
  },

  /** A Dense softmax head fit for 10 epochs, batch 32, on 1000 cached 1280-wide features. */
  headOnly(lib) {
    if (lib === 'tanuki') {
      if (!heads.tanuki) {
        tk.setSeed(1);
        const features = tk.randomNormal([1000, 1280]);
        const labels = tk.tensor(Array.from({ length: 2000 }, (_, i) => ((i >> 1) % 2 === i % 2 ? 1 : 0)), [1000, 2]);
        const head = tk.sequential({ layers: [tk.layers.dense({ units: 2, activation: 'softmax', inputShape: [1280] })] });
        head.compile({ optimizer: tk.train.adam(1e-3), loss: 'categoricalCrossentropy' });
        heads.tanuki = { head, features, labels };
      }
      const { head, features, labels } = heads.tanuki;
      return seconds(() => head.fit(features, labels, { epochs: 10, batchSize: 32, verbose: 0 }));
    }
    if (!heads.tfjs) {
      const features = tf.randomNormal([1000, 1280]);
      const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 1000 }, (_, i) => i % 2), 'int32'), 2);
      const head = tf.sequential({ layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [1280] })] });
      head.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
      heads.tfjs = { head, features, labels };
    }
    const { head, features, labels } = heads.tfjs;
    return seconds(() => head.fit(features, labels, { epochs: 10, batchSize: 32, verbose: 0 }));
  },

  memory: () => tk.memory(),
};
window.benchLoaded = true;
