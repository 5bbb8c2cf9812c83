// The <tanuki-classifier> element's worker: loads Tanuki and the backbone once,
// trains an ImageClassifier on the images it is sent, predicts. It answers
// the requests of worker_rpc.js's protocol one at a time and posts
// {event: 'progress', ...}.
//
// The element keeps its own worker, next to it, so that it works wherever its
// folder is served from (a package, a CDN mirror, a bundler's output).
import tanuki from '../../wasm/js/index.js';
import { postEvent, serveRequests } from './worker_rpc.js';

let tk = null;
let backbone = null;  // {spec, loaded}
let classifier = null;

/** The backbone for `spec` ('bundled', a catalog id, or the URL of a model.json or an .onnx file), loaded once per spec. */
async function backboneFor(spec) {
  tk ??= await tanuki.load();
  if (backbone?.spec !== spec) {
    const loaded = await tk.loadBackbone(spec, { onProgress: (fraction) => postEvent('progress', { phase: 'backbone', fraction }) });
    backbone = { spec, loaded };
  }
  return backbone.loaded;
}

// Batches end every few milliseconds: the page hears about epochs and feature steps only.
function forwardProgress(p) {
  if (p.phase === 'features' || p.phase === 'settings') {
    postEvent('progress', { phase: p.phase, fraction: p.done / p.total, done: p.done, total: p.total });
  } else if (p.epochDone) {
    postEvent('progress', { phase: 'train', fraction: p.epoch / p.epochs, epoch: p.epoch, epochs: p.epochs, logs: p.logs });
  }
}

const handlers = {
  /** Loads the backbone ahead of training; resolves with what it is. */
  async load({ backbone: spec }) {
    const loaded = await backboneFor(spec);
    return { name: loaded.name, inputSize: loaded.inputSize };
  },

  /** Trains a new classifier on {classes: [{name, images: [Blob]}], epochs (undefined: chosen), backbone}. */
  async train({ classes, epochs, backbone: spec }) {
    const loaded = await backboneFor(spec);
    // The loaded model is reused, so its cut and input scaling are passed along.
    const next = await tk.ImageClassifier.fromBackbone(loaded.full, {
      cutLayer: loaded.cutLayer,
      localMaxPool: loaded.localMaxPool,
      scale: loaded.scale,
      offset: loaded.offset,
      classNames: classes.map((c) => c.name),
    });
    for (const c of classes) next.addExamples(c.images, c.name);
    const history = await next.train({ epochs, batchSize: 16, onProgress: forwardProgress });
    classifier = next;
    const logs = Object.fromEntries(Object.entries(history.history).map(([name, values]) => [name, values.at(-1)]));
    return { classNames: next.classNames, epochs: history.epoch.length, logs };
  },

  /** Top classes of one image: [{className, probability}], best first. */
  async predict({ image }) {
    if (!classifier) throw new Error('Train the classifier before asking it for predictions.');
    return classifier.predict(image);
  },
};

serveRequests(handlers);
