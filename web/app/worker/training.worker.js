// The training worker: loads Tanuki and the backbone, owns the classifier,
// trains, predicts. All the heavy work happens here so that the page stays
// responsive. It answers the requests of components/worker_rpc.js's
// protocol one at a time; the 'stop' signal aborts training between batches.
import { postEvent, serveRequests, transferring } from '../../components/worker_rpc.js';
import tanuki from '../../wasm/js/index.js';
import { isGraphModelJson } from '../../wasm/js/io/graph_model.js';
import { digestOfFiles, openFeatureStore } from './feature_store.js';

let tk = null;
let backbone = null;   // {full, info, artifacts, options, dirty}
let predictor = null;  // a trained ImageClassifier or a loaded saved classifier
let abort = null;
// The project images' features under the current backbone, by image id, kept
// across Train clicks: only images added since (or after a fine-tuning
// changed the backbone) are computed. {backbone (the model), cache, stored:
// the cache keys the feature store holds}.
let features = null;
let featureComputations = 0;
// The features in IndexedDB (feature_store.js), under the backbone's scope:
// they outlive the page, so a reload does not compute them again. null where
// IndexedDB is unavailable.
const featureStore = openFeatureStore();

// Diagnostics from the browser's console (in the worker's context): the
// WebAssembly heap size, the bytes in use and the live wrappers, as
// tk.memory() reports them; null before Tanuki has loaded.
self.tanukiMemory = () => tk?.memory() ?? null;
// How many rows of features the trainings have computed so far.
self.tanukiFeatureComputations = () => featureComputations;

async function instance() {
  tk ??= await tanuki.load();
  return tk;
}

function paramsOf(variables) {
  let total = 0;
  for (const v of variables) {
    total += v.shape.reduce((a, b) => a * b, 1);
    v.dispose();
  }
  return total;
}

/** What the page shows about a backbone. */
function describeBackbone(loaded) {
  loaded.model.trainable = false;  // as the classifier uses it
  const layers = loaded.model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const info = {
    name: loaded.name,
    inputSize: loaded.inputSize,
    cutLayer: loaded.cutLayer,
    localMaxPool: loaded.localMaxPool,
    featureShape: loaded.featureShape,
    layers: layers.length,
    frozenLayers: layers.filter((l) => !l.trainable).length,
    trainableParams: paramsOf(loaded.model.trainableWeights),
    nonTrainableParams: paramsOf(loaded.model.nonTrainableWeights),
  };
  layers.forEach((l) => l.dispose());
  return info;
}

/** The backbone as the classifier sees it; reloaded after fine-tuning changed its weights. */
async function currentBackbone() {
  if (backbone.dirty) {
    const reloaded = await tk.loadLayersModel(backbone.artifacts);
    backbone.full.dispose();
    backbone.full = reloaded;
    backbone.dirty = false;
  }
  return backbone.full;
}

/**
 * Replaces the classifier used for predictions. The one replaced is freed at
 * once: a saved model holds a whole backbone's weights, and the garbage
 * collector does not see the WebAssembly memory they take.
 */
function usePredictor(next) {
  if (predictor && predictor !== next) predictor.dispose();
  predictor = next;
}

/** What the page shows about a trained or opened model. */
/**
 * The validation report with, by image id, each held-out image's verdict
 * (the confusion matrix's cells) and the possible label mistakes.
 */
function reportOf(classifier) {
  const verdict = (v) => ({ id: v.key, label: v.label, predicted: v.predicted, probability: v.probability });
  const suspects = classifier.possibleLabelMistakes({ limit: 12 }).map(verdict);
  if (!classifier.validationReport) return suspects.length ? { suspectsOnly: true, suspects } : null;
  return { ...classifier.validationReport, examples: (classifier.validationPredictions ?? []).map(verdict), suspects };
}

/** What the head was trained with, as plain data for the page (no candidate list). */
function headSettings(s) {
  if (!s) return null;
  return { epochs: s.epochs, learningRate: s.learningRate, dropout: s.dropout, views: s.views, chosen: s.chosen, folds: s.crossValidation?.folds ?? null, reason: s.reason ?? null };
}

function describeModel(model, extra) {
  return { trainableParams: paramsOf(model.trainableWeights), nonTrainableParams: paramsOf(model.nonTrainableWeights), ...extra };
}

/** Progress of one step (features, training...) with a time-left estimate. */
function progressReporter() {
  let step = null;
  let lastPost = 0;
  return (p) => {
    const now = performance.now();
    const key = `${p.phase}/${p.total ?? p.epochs}`;
    if (step?.key !== key) step = { key, started: now };
    const fraction = p.total ? p.done / p.total : ((p.epoch - 1) * p.batches + p.batch) / (p.epochs * p.batches);
    const elapsed = (now - step.started) / 1000;
    const timeLeft = fraction > 0 && elapsed > 0.25 ? (elapsed * (1 - fraction)) / fraction : null;
    if (p.epochDone) postEvent('epoch', { phase: p.phase, epoch: p.epoch, epochs: p.epochs, logs: p.logs });
    // Batches can end every few milliseconds; the page needs no more than ten updates a second.
    if (now - lastPost < 100 && fraction < 1 && !p.epochDone) return;
    lastPost = now;
    postEvent('progress', { phase: p.phase, fraction, timeLeft, done: p.done, total: p.total, epoch: p.epoch, epochs: p.epochs, batch: p.batch, batches: p.batches });
  };
}

/** A decoding failure names the images the decoder rejects. */
async function explained(error, classes, [h, w]) {
  if (error?.name !== 'FormatError') return error;
  const bad = [];
  for (const c of classes) {
    for (const image of c.images) {
      try {
        tk.image.decode(new Uint8Array(await image.blob.arrayBuffer()), { size: [h, w] }).dispose();
      } catch (reason) {
        bad.push(`'${image.name || 'image'}' in class '${c.name}' (${reason.message})`);
      }
    }
  }
  if (!bad.length) return error;
  const failure = new Error(`${bad.length === 1 ? 'This image cannot' : 'These images cannot'} be decoded: ${bad.join('; ')}. Remove ${bad.length === 1 ? 'it' : 'them'} and train again.`);
  failure.name = 'FormatError';
  return failure;
}

/**
 * The format of a backbone chosen as files, as the page names it: tk.loadModel
 * recognises it by content, and so does this (an .onnx file, or a model.json
 * of the graph or the layers format).
 */
async function formatOfFiles(files) {
  if (files.some((f) => /\.onnx$/i.test(f.name))) return 'ONNX';
  const modelJson = files.find((f) => f.name === 'model.json') ?? files.find((f) => /\.json$/i.test(f.name));
  let json = null;
  try {
    json = modelJson && JSON.parse(await modelJson.text());
  } catch {
    // not JSON: the loader has already said so
  }
  return isGraphModelJson(json) ? 'TensorFlow.js graph model' : 'TensorFlow.js layers model';
}

const handlers = {
  /**
   * Loads Tanuki and a backbone: {kind: 'bundled'} | {kind: 'catalog', id} |
   * {kind: 'url', url} | {kind: 'files', files} (a layers or graph model.json
   * with its weight files, or an .onnx file with any external data files).
   */
  async init({ backbone: spec }) {
    await instance();
    postEvent('backbone-progress', { stage: 'weights', fraction: 0 });
    const source = spec.kind === 'url' ? spec.url : spec.kind === 'files' ? spec.files : spec.kind === 'catalog' ? spec.id : 'bundled';
    const loaded = await tk.loadBackbone(source, { onProgress: (fraction) => postEvent('backbone-progress', { stage: 'weights', fraction }) });
    const previous = backbone;
    // What the stored features depend on: the backbone's source, or the bytes
    // of its files, and how its features are taken from it (features stored
    // by a version that cut or pooled it otherwise are not reused).
    const options = { cutLayer: loaded.cutLayer, localMaxPool: loaded.localMaxPool, scale: loaded.scale, offset: loaded.offset };
    const origin = spec.kind === 'files' ? `files:${await digestOfFiles(spec.files)}` : spec.kind === 'url' ? `url:${spec.url}` : spec.kind === 'catalog' ? `catalog:${spec.id}` : 'bundled';
    const scope = `${origin} ${JSON.stringify(options)}`;
    backbone = {
      scope,
      full: loaded.full,
      info: { ...describeBackbone(loaded), format: spec.kind === 'files' ? await formatOfFiles(spec.files) : null },
      // Kept to restore the pretrained weights after a fine-tuning run.
      artifacts: loaded.full.toArtifacts(),
      options,
      dirty: false,
    };
    loaded.model.dispose();
    previous?.full.dispose();
    features = null;
    return backbone.info;
  },

  /**
   * Trains a new classifier on {classes: [{name, images: [{id, blob, name}]}], settings}.
   * Resolves with the model's artifacts, the validation report and whether it was stopped.
   */
  async train({ classes, settings }) {
    if (!backbone) throw new Error('The backbone is not loaded yet.');
    abort = new AbortController();
    const { signal } = abort;
    const onProgress = progressReporter();
    // null settings are "auto": left undefined, the classifier chooses them.
    const auto = (value) => value ?? undefined;
    const augmentation = settings.augment === false ? { flip: false, rotation: 0, zoom: 0, contrast: 0 } : {};
    const full = await currentBackbone();
    if (features?.backbone !== full) features = { backbone: full, cache: new Map(), stored: new Set() };
    const store = await featureStore;
    const imageIds = classes.flatMap((c) => c.images.map((image) => image.id));
    if (store) {
      try {
        await store.keepOnly(backbone.scope);
        for (const key of await store.load(backbone.scope, imageIds, features.cache)) features.stored.add(key);
      } catch (error) {
        // The stored features only save time: without them, they are computed.
        console.warn(`Tanuki: the stored features could not be read (${error?.message ?? error}); they are computed again.`);
      }
    }
    const classifier = await tk.ImageClassifier.fromBackbone(full, {
      ...backbone.options,
      classNames: classes.map((c) => c.name),
      augmentation,
      featureCache: features.cache,
    });
    for (const c of classes) for (const image of c.images) classifier.addExample(image.blob, c.name, { key: image.id });
    // Stored after the head's training (or a Stop during it), before any
    // fine-tuning: those are the pretrained backbone's features.
    let storing = null;
    const storeFeatures = () => (storing ??= (async () => {
      if (!store) return;
      try {
        await store.save(backbone.scope, features.cache, features.stored);
      } catch (error) {
        // A full disk or quota costs only the time to compute them again after a reload.
        console.warn(`Tanuki: the features could not be stored (${error?.name === 'QuotaExceededError' ? 'storage quota exceeded' : error?.message ?? error}); a reload computes them again.`);
      }
    })());
    const common = { batchSize: settings.batchSize, validationSplit: settings.validationSplit, signal, onProgress };
    let completedEpochs = 0;
    const counter = { onEpochEnd: () => { completedEpochs += 1; } };
    try {
      await classifier.train({ ...common, augment: auto(settings.augment), epochs: auto(settings.epochs), learningRate: auto(settings.learningRate), callbacks: [counter] });
      await storeFeatures();
      if (settings.fineTuneLayers > 0 && !signal.aborted) {
        backbone.dirty = true;
        await classifier.fineTune({ ...common, layers: settings.fineTuneLayers, epochs: settings.fineTuneEpochs, learningRate: settings.fineTuneLearningRate, callbacks: [counter] });
      }
    } catch (error) {
      // Stopped while computing features: what was trained before still stands.
      if (signal.aborted && !backbone.dirty) await storeFeatures();
      if (!signal.aborted) {
        const failure = await explained(error, classes, classifier.inputSize);
        classifier.dispose();
        throw failure;
      }
    } finally {
      abort = null;
      featureComputations += classifier.featureComputations;
    }
    if (completedEpochs === 0) {
      classifier.dispose();
      return { stopped: true, model: null };
    }
    usePredictor(classifier);
    const model = classifier.toModel();
    const metadata = classifier.metadata();
    const artifacts = model.toArtifacts({ metadata });
    return transferring(
      {
        stopped: signal.aborted,
        model: { artifacts, metadata, info: describeModel(model, { fineTunedFrom: classifier.fineTunedFrom ?? null, settings: headSettings(classifier.trainingSettings) }) },
        report: reportOf(classifier),
      },
      [artifacts.weightData.buffer],
    );
  },

  /** Restores a saved classifier ({modelJson, weightData}) for predictions. */
  async useModel({ artifacts }) {
    await instance();
    usePredictor(await tk.loadClassifier(artifacts));
    return { classNames: predictor.classNames };
  },

  /**
   * Opens a model chosen as files (model.json, its weight files, and
   * optionally classes.json when model.json carries no class names).
   */
  async importModel({ files }) {
    await instance();
    const loaded = await tk.loadClassifier(files);
    usePredictor(loaded);
    const metadata = loaded.metadata();
    const artifacts = loaded.model.toArtifacts({ metadata });
    return transferring({ artifacts, metadata, info: describeModel(loaded.model, { opened: true }) }, [artifacts.weightData.buffer]);
  },

  /**
   * The trained classifier ({modelJson, weightData}) as an ONNX file, rebuilt
   * from its artifacts as useModel does (the predictor may be a fine-tuned
   * one whose backbone has since been restored). Resolves with
   * {onnx: Uint8Array, droppedLayers: [a sentence per layer left out],
   * inputSize: [h, w]}.
   */
  async exportOnnx({ artifacts }) {
    await instance();
    const classifier = await tk.loadClassifier(artifacts);
    try {
      const { onnx, droppedLayers } = classifier.model.toOnnxArtifacts();
      return transferring({ onnx, droppedLayers, inputSize: classifier.inputSize }, [onnx.buffer]);
    } finally {
      classifier.dispose();
    }
  },

  /** Top classes of each image; a failing image gets {error} and the others still get results. */
  async predict({ images }) {
    if (!predictor) throw new Error('There is no trained model yet: train one (or open a model) first.');
    const results = [];
    for (const image of images) {
      try {
        results.push({ top: await predictor.predict(image) });
      } catch (error) {
        results.push({ error: `${image.name ?? 'image'}: ${error.message}` });
      }
    }
    return results;
  },
};

serveRequests(handlers, { stop: () => abort?.abort() });
