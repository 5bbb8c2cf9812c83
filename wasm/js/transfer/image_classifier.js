// ImageClassifier: the transfer-learning workflow of Keras's guide as one
// object. A frozen backbone turns each image into features once; a new head
// (feature standardisation, Dropout, Dense softmax) trains on those cached
// features; optionally the
// top of the backbone is unfrozen and fine-tuned at a low learning rate, with
// its BatchNormalization layers kept in inference mode, on activations cached
// at the boundary below it.
//
// Images are kept as their sources (bytes, paths, Files...) and decoded when
// needed, so memory holds features, not pixels.
import { StateError, ValueError } from '../errors.js';
import { disposeAll, firstShape } from '../memory.js';
import { classificationReport } from './classification_report.js';
import { loadBackbone } from './backbone.js';
import { balancedClassWeights, ClassifierHead, stratifiedSplit } from './classifier_head.js';
import { chooseHeadSettings, HEAD_DEFAULTS } from './head_settings.js';
import { averageInto, DECODE_BATCH, decodeImages, evaluateImages, mirrorImages, outputValues, predictImages } from './image_batches.js';
// Cached boundary activations for fine-tuning, over all images and views:
// 256 Mi floats = 1 GiB of the 4 GiB WebAssembly heap.
const MAX_CACHED_VALUES = 2 ** 28;
// Extra backbone passes train() may spend on augmented views when the user
// leaves augmentation unset: every image gets as many views as fit (at most
// 4 in all), so 1,600 photos get one augmented view each, which `tanuki
// train` affords within its minute on two threads.
const AUGMENTED_PASSES = 1600;
const MAX_VIEWS = 4;
// The cached view of an image mirrored left to right (testTimeFlip).
const MIRROR = 'mirror';

/** The cache's view keys: views 0..views-1 for a count, or the views listed. */
const viewKeys = (views) => (Array.isArray(views) ? views : Array.from({ length: views }, (_, v) => v));

export class ImageClassifier {
  /**
   * Loads a backbone ('bundled', a model.json URL/path/files, or a model) and
   * returns a classifier on top of it. Options: cutLayer, localMaxPool, scale, offset,
   * classNames, dropout (chosen by train() unless set), crop ('center' | 'none'), augmentation
   * ({flip, rotation, zoom, contrast}), testTimeFlip (predictions average each
   * image and its mirror; on wherever training flips), featureCache,
   * onProgress (loading).
   */
  static async fromBackbone(tk, spec = 'bundled', options = {}) {
    const backbone = await loadBackbone(tk, spec, options);
    const classifier = new ImageClassifier(tk, backbone, options);
    // A backbone loaded here is the classifier's to free; a model passed in stays the caller's.
    classifier._ownsBackbone = backbone.full !== spec;
    return classifier;
  }

  /**
   * featureCache: a Map the caller keeps to share features between
   * classifiers of one backbone, crop and augmentation: an image added with
   * a key (addExample(image, label, {key})) whose features it holds is not
   * computed again. Without one, the classifier keeps its own.
   */
  constructor(tk, backbone, { classNames = [], dropout, crop = 'center', augmentation = {}, testTimeFlip, skipInvalid = false, featureCache } = {}) {
    this.tk = tk;
    this.backbone = backbone;
    this.classNames = [...classNames];
    this.crop = crop;
    // undefined: train() chooses it.
    this.dropoutRate = dropout;
    this.examples = [];
    /** Images left out because they could not be decoded (with skipInvalid): [{image, label, reason}]. */
    this.skipped = [];
    this.skipInvalid = skipInvalid;
    this._nextId = 1;
    this._cache = featureCache ?? new Map();  // `${cacheKey}/${view}` -> Float32Array of pooled features
    this._ownsCache = !featureCache;
    /** Rows of features computed so far (what the caches did not hold). */
    this.featureComputations = 0;
    this.backbone.model.trainable = false;

    const [h, w] = backbone.inputSize;
    const input = tk.input({ shape: [h, w, 3] });
    this._rescale = tk.layers.rescaling({ scale: backbone.scale, offset: backbone.offset });
    const scaled = this._rescale.apply(input);
    const features = backbone.model.apply(scaled, { training: false });
    this._pool = features.shape.length === 4 ? tk.layers.globalAveragePooling2d({}) : null;
    const pooled = this._pool ? this._pool.apply(features) : features;
    this._extractor = tk.model({ inputs: input, outputs: pooled });
    disposeAll(input, scaled, features, pooled);
    this.featureSize = firstShape(this._extractor.outputs)[1];
    const { flip = true, rotation = 0.05, zoom = 0.1, contrast = 0.1 } = augmentation;
    // Predictions, evaluation and the validation report average each image
    // with its horizontal mirror: the head learned mirrored views (flip is
    // on by default), and the mean of the two looks was right more often on
    // held-out photos (README, accuracy). Classes that a mirror would change
    // (left and right arrows) turn flip off, and this with it.
    this.testTimeFlip = testTimeFlip ?? flip;
    const steps = [];
    if (flip) steps.push(tk.layers.randomFlip({ mode: 'horizontal' }));
    if (rotation) steps.push(tk.layers.randomRotation({ factor: rotation }));
    if (zoom) steps.push(tk.layers.randomZoom({ heightFactor: zoom, widthFactor: zoom }));
    if (contrast) steps.push(tk.layers.randomContrast({ factor: contrast }));
    this._augmenter = steps.length ? tk.sequential({ layers: steps }) : null;
    disposeAll(steps);  // the Sequential holds them
    this._head = null;
  }

  get inputSize() {
    return this.backbone.inputSize;
  }

  /**
   * Adds one labelled image (bytes, path in Node, File, ImageData, canvas...).
   * `key` names the image in a shared featureCache. Returns its id.
   */
  addExample(image, label, { key } = {}) {
    if (typeof label !== 'string' || !label) throw new ValueError('addExample(image, label) needs a class name');
    if (!this.classNames.includes(label)) this.classNames.push(label);
    const id = this._nextId++;
    // The two prefixes keep a caller's keys apart from the classifier's own.
    this.examples.push({ id, key, image, label, cacheKey: key === undefined ? `#${id}` : `=${key}` });
    return id;
  }

  addExamples(images, label) {
    return Array.from(images, (image) => this.addExample(image, label));
  }

  _skip(image, error) {
    const dropped = this.examples.filter((e) => e.image === image);
    this.examples = this.examples.filter((e) => e.image !== image);
    for (const e of dropped) this.skipped.push({ image, label: e.label, reason: error.message });
  }

  removeExample(id) {
    const removed = this.examples.find((e) => e.id === id);
    this.examples = this.examples.filter((e) => e.id !== id);
    if (!removed || !this._ownsCache) return;
    for (const key of this._cache.keys()) if (key.startsWith(`${removed.cacheKey}/`)) this._cache.delete(key);
  }

  _labelOf(example) {
    return this.classNames.indexOf(example.label);
  }

  /**
   * Runs `model` on every (example, view) pair whose result is not cached,
   * for the views `viewsOf(example)` lists: view 0 is the image itself,
   * views >= 1 are random augmentations and 'mirror' is the image flipped
   * left to right. Examples go in chunks of DECODE_BATCH: each image is
   * decoded once for all its views (decoding is a quarter of the features'
   * time), then each view the chunk lacks runs as one batch.
   */
  async _computeFeatures(examples, viewsOf, { model, cache, phase, onProgress, signal }) {
    // [example, the views it lacks], for the examples that lack any.
    const pending = examples
      .map((e) => [e, viewsOf(e).filter((v) => !cache.has(`${e.cacheKey}/${v}`))])
      .filter(([, views]) => views.length);
    const count = (jobs) => jobs.reduce((n, [, views]) => n + views.length, 0);
    const total = count(pending);
    let done = 0;
    for (let start = 0; start < pending.length; start += DECODE_BATCH) {
      if (signal?.aborted) throw new StateError('stopped while computing features');
      const chunk = pending.slice(start, start + DECODE_BATCH);
      const invalid = new Set();
      const onInvalid = this.skipInvalid ? (image, error) => invalid.add(image) && this._skip(image, error) : undefined;
      const pixels = await decodeImages(this.tk, chunk.map(([e]) => e.image), this.inputSize, this.crop, onInvalid);
      // Rows of `pixels`: the chunk's decodable images, in order.
      const decoded = chunk.filter(([e]) => !invalid.has(e.image));
      try {
        for (const v of new Set(decoded.flatMap(([, views]) => views))) {
          const rows = decoded.flatMap(([, views], r) => (views.includes(v) ? [r] : []));
          const picked = rows.length === decoded.length ? pixels : pixels.gather(rows);
          const input = this._view(picked, v);
          const out = model.predict(input, { batchSize: DECODE_BATCH });
          const values = out.dataSync();
          const size = values.length / rows.length;
          rows.forEach((r, i) => cache.set(`${decoded[r][0].cacheKey}/${v}`, values.slice(i * size, (i + 1) * size)));
          this.featureComputations += rows.length;
          disposeAll(out, ...new Set([input, picked].filter((t) => t !== pixels)));
        }
      } finally {
        pixels?.dispose();
      }
      done += count(chunk);
      onProgress?.({ phase, done, total });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  /** Decoded images [N, h, w, 3] as view v: themselves (0), mirrored, or randomly augmented (>= 1). */
  _view(pixels, v) {
    if (v === 0) return pixels;
    if (v === MIRROR) return mirrorImages(this.tk, pixels);
    if (!this._augmenter) throw new ValueError('augmentation is off for this classifier');
    return this._augmenter.apply(pixels, { training: true });
  }

  /**
   * Splits the images (_split) and computes what each needs, through
   * common.model into common.cache: views 0..views-1 of a training image
   * (views = viewsFor(training images)), and of a held-out one the image
   * and, with testTimeFlip, its mirror. A first pass plans the split over
   * every image and decodes each once for all it needs; an image found
   * unreadable there (skipInvalid) changes the split, and whatever the final
   * split lacks is computed after. Returns {train, validation, views}.
   */
  async _splitFeatures(validationSplit, seed, viewsFor, common) {
    const needs = ({ train }) => {
      const training = new Set(train);
      const views = viewKeys(viewsFor(train.length));
      const held = this.testTimeFlip ? [0, MIRROR] : [0];
      return (e) => (training.has(e) ? views : held);
    };
    await this._computeFeatures(this.examples, needs(this._split(validationSplit, seed)), common);
    this._checkReady();
    const split = this._split(validationSplit, seed);
    await this._computeFeatures(this.examples, needs(split), common);
    return { ...split, views: viewsFor(split.train.length) };
  }

  /** Stratified split: the last `fraction` of each class (after a seeded shuffle) is held out. */
  _split(validationSplit, seed) {
    return stratifiedSplit(this.examples, (e) => this._labelOf(e), validationSplit, seed);
  }

  /** The head for the current classes and Dropout rate, made anew when either changed. */
  _ensureHead(dropout = this._head?.dropoutRate ?? this.dropoutRate ?? HEAD_DEFAULTS.dropout) {
    const k = this.classNames.length;
    if (this._head && this._head.classCount === k && this._head.dropoutRate === dropout) return;
    // The previous head and whole network are left to the garbage collector,
    // not disposed: a model toModel() returned before stays usable.
    this._head = new ClassifierHead(this.tk, this.featureSize, k, { dropout });
    this._full = null;
  }

  _classify(features) {
    return this._head.classify(features);
  }

  /** Rows of cached features of these examples, views 0..views-1 each. */
  _rows(examples, views, cache = this._cache) {
    const keys = viewKeys(views);
    return examples.flatMap((e) => keys.map((v) => cache.get(`${e.cacheKey}/${v}`)));
  }

  /**
   * [x, y] of examples' cached rows, each of rowShape (pooled features [d] or
   * the boundary's activations): views 0..views-1, or the views listed.
   */
  _tensors(examples, views, cache, rowShape) {
    const size = rowShape.reduce((a, b) => a * b, 1);
    const keys = viewKeys(views);
    const rows = [];
    const labels = [];
    for (const e of examples) {
      for (const v of keys) {
        rows.push(cache.get(`${e.cacheKey}/${v}`));
        labels.push(this._labelOf(e));
      }
    }
    const x = new Float32Array(rows.length * size);
    rows.forEach((r, i) => x.set(r, i * size));
    const shape = [rows.length, ...rowShape];
    return [this.tk.tensor(x, shape), this.tk.tensor(Float32Array.from(labels), [labels.length])];
  }

  _checkReady() {
    const counts = this.classNames.map((n) => this.examples.filter((e) => e.label === n).length);
    const used = counts.filter((c) => c > 0).length;
    if (used < 2) throw new ValueError(`training needs images of at least 2 classes; have ${used}`);
    return counts;
  }

  /**
   * Trains the head on cached features of the frozen backbone. Options:
   * epochs, learningRate, dropout, augment (true / false) with views (random
   * views per image, the plain one included): whatever is left unset is
   * chosen by cross-validation on the features (head_settings.js; autoTune:
   * false takes the fixed defaults instead: 20 epochs, 1e-3, 0.2, no
   * augmentation). batchSize (32), validationSplit (0, stratified), seed,
   * classWeight (balanced automatically when classes differ by more than
   * 1.5x), callbacks, onProgress({phase, ...}), signal. The history's
   * `settings` (also this.trainingSettings) say what was used and chosen.
   */
  async train(options = {}) {
    const { batchSize = 32, validationSplit = 0, seed = 1, autoTune = true, callbacks = [], onProgress, signal } = options;
    const fixed = {
      epochs: options.epochs,
      learningRate: options.learningRate,
      dropout: options.dropout ?? this.dropoutRate,
      views: options.augment === false ? 1 : options.augment ? (options.views ?? 4) : undefined,
    };
    this._checkReady();
    this.tk.setSeed(seed);
    const common = { model: this._extractor, cache: this._cache, onProgress, signal, phase: 'features' };
    // Augmented views cost one backbone pass each: used where they are cheap
    // (small sets, where they help most).
    const viewsFor = (trainCount) => fixed.views ?? (autoTune ? Math.min(MAX_VIEWS, 1 + Math.floor(AUGMENTED_PASSES / trainCount)) : 1);
    const { train, validation, views } = await this._splitFeatures(validationSplit, seed, viewsFor, common);
    const labels = train.map((e) => this._labelOf(e));
    const classWeight = options.classWeight ?? (autoTune ? balancedClassWeights(labels, this.classNames.length) : null) ?? undefined;
    const settings = autoTune
      ? await chooseHeadSettings(this.tk, {
        labels, views, fixed, batchSize, seed, classWeight, signal, onProgress,
        rowOf: (i, v) => this._cache.get(`${train[i].cacheKey}/${v}`),
        featureSize: this.featureSize, classCount: this.classNames.length,
      })
      : { ...HEAD_DEFAULTS, ...Object.fromEntries(Object.entries(fixed).filter(([, v]) => v !== undefined)), chosen: [] };
    const { outOfFold, ...used } = settings;
    this.trainingSettings = { ...used, batchSize, classWeight: classWeight ?? null };
    this._outOfFold = outOfFold ? { examples: train, probabilities: outOfFold } : null;
    this._ensureHead(settings.dropout);
    this._head.standardize(this._rows(train, settings.views));
    const history = await this._fit(this._head.model, train, validation, settings.views, this._cache, [this.featureSize], {
      epochs: settings.epochs, batchSize, learningRate: settings.learningRate, seed, classWeight, callbacks, onProgress, signal, phase: 'train', mirror: this.testTimeFlip,
    });
    history.settings = this.trainingSettings;
    return history;
  }

  /**
   * Fits `model` on the cached rows; with validation images, ends with the
   * validation report and verdicts, on each image averaged with its mirror
   * when `mirror` (the per-epoch validation metrics stay on the image alone).
   */
  async _fit(model, train, validation, views, cache, rowShape, { epochs, batchSize, learningRate, seed, classWeight, callbacks, onProgress, signal, phase, mirror = false }) {
    const [x, y] = this._tensors(train, views, cache, rowShape);
    const val = validation.length ? this._tensors(validation, 1, cache, rowShape) : null;
    this.validationPredictions = null;
    model.compile({ optimizer: this.tk.train.adam(learningRate), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const steps = Math.ceil(x.shape[0] / batchSize);
    const started = Date.now();
    const progress = {
      onBatchEnd: (batch, logs) => onProgress?.({ phase, epoch: this._epoch, epochs, batch: batch + 1, batches: steps, logs, elapsed: (Date.now() - started) / 1000 }),
      onEpochBegin: (epoch) => { this._epoch = epoch + 1; },
      onEpochEnd: (epoch, logs) => onProgress?.({ phase, epoch: epoch + 1, epochs, batch: steps, batches: steps, logs, epochDone: true, elapsed: (Date.now() - started) / 1000 }),
    };
    try {
      const history = await model.fit(x, y, { epochs, batchSize, shuffle: true, seed, validationData: val ?? undefined, classWeight, callbacks: [progress, ...callbacks], signal });
      // Per-class precision/recall and the confusion matrix on the validation split.
      if (val) {
        const probabilities = outputValues(model, val[0]);
        if (mirror) {
          const [mirrored, labels] = this._tensors(validation, [MIRROR], cache, rowShape);
          averageInto(probabilities, outputValues(model, mirrored));
          disposeAll(mirrored, labels);
        }
        this.validationReport = classificationReport(probabilities, Array.from(val[1].dataSync()), this.classNames);
        this.validationPredictions = this._verdicts(validation, probabilities);
      }
      return history;
    } finally {
      x.dispose();
      y.dispose();
      val?.forEach((t) => t.dispose());
    }
  }

  /**
   * Fine-tunes the top `layers` layers of the backbone (moved down to the
   * nearest point without a skip connection across it) together with the
   * head, at a low learning rate (Keras guide: Adam 1e-5), with
   * BatchNormalization kept in inference mode. Activations below are cached.
   */
  async fineTune(options = {}) {
    const { layers = 10, epochs = 5, batchSize = 16, learningRate = 1e-5, validationSplit = 0, augment = false, seed = 1, callbacks = [], onProgress, signal } = options;
    const views = augment ? (options.views ?? 2) : 1;
    if (!this._head) throw new StateError('train() the head before fineTune()');
    this._checkReady();
    const tk = this.tk;
    const model = this.backbone.model;
    const allLayers = model.layers;
    let boundary;
    try {
      const backboneLayers = allLayers.filter((l) => l.getClassName() !== 'InputLayer');
      if (!Number.isInteger(layers) || layers < 1 || layers >= backboneLayers.length) {
        throw new ValueError(`fineTune: layers must be an integer from 1 to ${backboneLayers.length - 1}, got ${layers}`);
      }
      // The top `layers` layers train; where the rest is cut off and cached is
      // the rule fit() uses for its frozen prefix (core: models/frozen_prefix.h):
      // the deepest layer below them that training leaves unchanged and that no
      // skip connection crosses.
      model.trainable = true;
      backboneLayers.forEach((l, i) => { l.trainable = i >= backboneLayers.length - layers; });
      boundary = tk.core.cacheableBoundary(model.handle);
      model.trainable = false;
    } finally {
      disposeAll(allLayers);
    }
    if (!boundary) throw new ValueError(`fineTune: no layer below the top ${layers} of the backbone can be cached; fine-tune fewer layers`);
    const perImage = firstShape([model.layerOutput(boundary)]).slice(1).reduce((a, b) => a * b, 1);
    const rows = this.examples.length * views;
    if (perImage * rows > MAX_CACHED_VALUES) {
      throw new ValueError(`fineTune: caching ${boundary}'s activations (${perImage} values per image) for ${rows} images would take ` +
        `${Math.round((perImage * rows * 4) / 2 ** 20)} MB (limit ${(MAX_CACHED_VALUES * 4) / 2 ** 20} MB); fine-tune fewer layers or use fewer views`);
    }
    const [bottom, top] = model.splitAt(boundary);
    top.trainable = true;

    const [h, w] = this.inputSize;
    const input = tk.input({ shape: [h, w, 3] });
    const scaled = this._rescale.apply(input);
    const activations = bottom.apply(scaled, { training: false });
    const boundaryModel = tk.model({ inputs: input, outputs: activations });
    const boundaryShape = activations.shape.slice(1);
    const topInput = tk.input({ shape: boundaryShape });
    const topOutput = top.apply(topInput, { training: false });
    const pooled = this._pool ? this._pool.apply(topOutput) : topOutput;
    const probabilities = this._classify(pooled);
    const tuned = tk.model({ inputs: topInput, outputs: probabilities });
    disposeAll(input, scaled, activations, topInput, topOutput, pooled, probabilities);

    const cache = new Map();
    tk.setSeed(seed + 1);
    const common = { model: boundaryModel, cache, onProgress, signal, phase: 'boundary' };
    const { train, validation } = await this._splitFeatures(validationSplit, seed, () => views, common);
    try {
      return await this._fit(tuned, train, validation, views, cache, boundaryShape, {
        epochs, batchSize, learningRate, seed, callbacks, onProgress, signal, phase: 'fine-tune', mirror: this.testTimeFlip,
      });
    } finally {
      this._cache.clear();  // the backbone changed: cached head features are stale
      this.backbone.model.trainable = false;
      this.fineTunedFrom = boundary;
      // The fine-tuned layers live on in the backbone; the models made for this run are freed.
      tuned.optimizer?.dispose();
      tuned.loss?.dispose();
      [tuned, boundaryModel, bottom, top].forEach((m) => m.dispose());
    }
  }

  /** [{id, key, image, label, predicted, probability, labelProbability}] for examples and their rows of class probabilities. */
  _verdicts(examples, probabilities) {
    const k = this.classNames.length;
    return examples.map((e, i) => {
      const row = probabilities.subarray(i * k, (i + 1) * k);
      let best = 0;
      for (let j = 1; j < k; j++) if (row[j] > row[best]) best = j;
      return { id: e.id, key: e.key, image: e.image, label: e.label, predicted: this.classNames[best], probability: row[best], labelProbability: row[this._labelOf(e)] };
    });
  }

  /**
   * Images whose label the model most disagrees with, least likely label
   * first: those it assigns to another class. Each is judged by a head that
   * did not see it where there is one: training images by train()'s
   * cross-validation heads, held-out ones by the trained head; without
   * cross-validation, training images by the trained head.
   * [{id, key, image, label, predicted, probability, labelProbability}]
   */
  possibleLabelMistakes({ limit = 10 } = {}) {
    if (!this._head) throw new StateError('train() the classifier before asking for possible label mistakes');
    let judged = this._outOfFold;
    if (!judged) {
      const held = new Set((this.validationPredictions ?? []).map((v) => v.id));
      const examples = this.examples.filter((e) => !held.has(e.id) && this._cache.has(`${e.cacheKey}/0`));
      const [x, y] = this._tensors(examples, 1, this._cache, [this.featureSize]);
      const p = this._head.model.predict(x);
      judged = { examples, probabilities: p.dataSync().slice() };
      [x, y, p].forEach((t) => t.dispose());
    }
    const present = new Set(this.examples.map((e) => e.id));
    return [...this._verdicts(judged.examples, judged.probabilities), ...(this.validationPredictions ?? [])]
      .filter((v) => present.has(v.id) && !Number.isNaN(v.labelProbability) && v.predicted !== v.label)
      .sort((a, b) => a.labelProbability - b.labelProbability)
      .slice(0, limit);
  }

  /** The whole network, raw pixels [N, h, w, 3] (0-255) -> class probabilities. */
  toModel() {
    this._ensureHead();
    if (!this._full) {
      const [h, w] = this.inputSize;
      const input = this.tk.input({ shape: [h, w, 3] });
      const features = this._extractor.apply(input, { training: false });
      const probabilities = this._classify(features);
      this._full = this.tk.model({ inputs: input, outputs: probabilities, name: 'tanuki_classifier' });
      disposeAll(input, features, probabilities);
    }
    return this._full;
  }

  /** Top classes of one image: [{className, probability}], best first. */
  async predict(image, { topK = this.classNames.length } = {}) {
    return (await this.predictBatch([image], { topK }))[0];
  }

  async predictBatch(images, { topK = this.classNames.length } = {}) {
    return predictImages(this.tk, this.toModel(), this.classNames, this.inputSize, this.crop, images, topK, { flip: this.testTimeFlip });
  }

  /** Report over labelled images [{image, label}] with the whole network. */
  async evaluate(examples, options = {}) {
    return evaluateImages(this.tk, this.toModel(), this.classNames, this.inputSize, this.crop, examples, { ...options, flip: this.testTimeFlip });
  }

  /** Saves the whole network (TF.js layers format) with its class names. */
  async save(destination) {
    return saveClassifier(this.tk, this.toModel(), this.metadata(), destination);
  }

  metadata() {
    return {
      classNames: this.classNames, imageSize: this.inputSize, crop: this.crop, testTimeFlip: this.testTimeFlip,
      backbone: this.backbone.name, cutLayer: this.backbone.cutLayer, localMaxPool: this.backbone.localMaxPool,
    };
  }

  /**
   * Frees the models and layers this classifier made (and the backbone, when
   * it loaded it itself) at once, rather than when the garbage collector
   * finds them; cached features are dropped. Models built from them stay usable.
   */
  dispose() {
    this._full?.optimizer?.dispose();
    this._full?.loss?.dispose();
    this._head?.dispose();
    const owned = [this._full, this._extractor, this._augmenter, this._rescale, this._pool, this.backbone.model];
    if (this._ownsBackbone) owned.push(this.backbone.full);
    for (const object of owned) object?.dispose();
    this._head = this._full = null;
    if (this._ownsCache) this._cache.clear();
  }
}

async function saveClassifier(tk, model, metadata, destination) {
  return model.save(destination, { metadata, extraFiles: { 'classes.json': JSON.stringify(metadata.classNames) } });
}
