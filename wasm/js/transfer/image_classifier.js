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
import { makeRandom, shuffleInPlace } from '../random.js';
import { classificationReport } from './classification_report.js';
import { loadBackbone } from './backbone.js';
import { DECODE_BATCH, decodeImages, evaluateImages, predictImages } from './image_batches.js';
// 32 Ki floats = 128 KiB of cached activations per image and view.
const MAX_BOUNDARY_VALUES = 32768;

export class ImageClassifier {
  /**
   * Loads a backbone ('bundled', a model.json URL/path/files, or a model) and
   * returns a classifier on top of it. Options: cutLayer, scale, offset,
   * classNames, dropout (0.2), crop ('center' | 'none'), augmentation
   * ({flip, rotation, zoom, contrast}), featureCache, onProgress (loading).
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
  constructor(tk, backbone, { classNames = [], dropout = 0.2, crop = 'center', augmentation = {}, skipInvalid = false, featureCache } = {}) {
    this.tk = tk;
    this.backbone = backbone;
    this.classNames = [...classNames];
    this.crop = crop;
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
    const features = backbone.model.apply(this._rescale.apply(input), { training: false });
    this._pool = features.shape.length === 4 ? tk.layers.globalAveragePooling2d({}) : null;
    this._extractor = tk.model({ inputs: input, outputs: this._pool ? this._pool.apply(features) : features });
    this.featureSize = this._extractor.outputs[0].shape[1];
    const { flip = true, rotation = 0.05, zoom = 0.1, contrast = 0.1 } = augmentation;
    const steps = [];
    if (flip) steps.push(tk.layers.randomFlip({ mode: 'horizontal' }));
    if (rotation) steps.push(tk.layers.randomRotation({ factor: rotation }));
    if (zoom) steps.push(tk.layers.randomZoom({ heightFactor: zoom, widthFactor: zoom }));
    if (contrast) steps.push(tk.layers.randomContrast({ factor: contrast }));
    this._augmenter = steps.length ? tk.sequential({ layers: steps }) : null;
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
    this.examples.push({ id, image, label, cacheKey: key === undefined ? `#${id}` : `=${key}` });
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
   * Runs `model` on every (example, view) pair whose result is not cached;
   * view 0 is the image itself, views >= 1 are random augmentations.
   */
  async _computeFeatures(examples, views, { model, cache, phase, onProgress, signal }) {
    const jobs = [];
    for (const e of examples) for (let v = 0; v < views; v++) if (!cache.has(`${e.cacheKey}/${v}`)) jobs.push([e, v]);
    for (let start = 0; start < jobs.length; start += DECODE_BATCH) {
      if (signal?.aborted) throw new StateError('stopped while computing features');
      let batch = jobs.slice(start, start + DECODE_BATCH);
      const invalid = new Set();
      const onInvalid = this.skipInvalid ? (image, error) => invalid.add(image) && this._skip(image, error) : undefined;
      const pixels = await decodeImages(this.tk, batch.map(([e]) => e.image), this.inputSize, this.crop, onInvalid);
      batch = batch.filter(([e]) => !invalid.has(e.image));
      if (!pixels) continue;
      let input = pixels;
      if (batch.some(([, v]) => v > 0)) {
        if (!this._augmenter) throw new ValueError('augmentation is off for this classifier');
        input = this._augmenter.apply(pixels, { training: true });
        // Keep view-0 rows unaugmented.
        const plain = pixels.dataSync();
        const mixed = input.dataSync();
        const row = plain.length / batch.length;
        batch.forEach(([, v], i) => v === 0 && mixed.set(plain.subarray(i * row, (i + 1) * row), i * row));
        input.dispose();
        input = this.tk.tensor(mixed, pixels.shape);
      }
      const out = model.predict(input, { batchSize: DECODE_BATCH });
      const values = out.dataSync();
      const size = values.length / batch.length;
      batch.forEach(([e, v], i) => cache.set(`${e.cacheKey}/${v}`, values.slice(i * size, (i + 1) * size)));
      this.featureComputations += batch.length;
      out.dispose();
      if (input !== pixels) input.dispose();
      pixels.dispose();
      onProgress?.({ phase, done: Math.min(start + DECODE_BATCH, jobs.length), total: jobs.length });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  /** Stratified split: the last `fraction` of each class (after a seeded shuffle) is held out. */
  _split(validationSplit, seed) {
    const random = makeRandom(seed);
    const train = [];
    const validation = [];
    for (const name of this.classNames) {
      const members = shuffleInPlace(this.examples.filter((e) => e.label === name), random);
      const held = validationSplit > 0 ? Math.max(1, Math.round(members.length * validationSplit)) : 0;
      train.push(...members.slice(0, members.length - held));
      validation.push(...members.slice(members.length - held));
    }
    return { train, validation };
  }

  _ensureHead() {
    const k = this.classNames.length;
    if (this._head && this._headClasses === k) return;
    const tk = this.tk;
    const input = tk.input({ shape: [this.featureSize] });
    // A frozen BatchNormalization holding the features' mean and variance
    // standardises them: features from several depths differ in scale by
    // orders of magnitude, and a plain Keras layer keeps the export portable.
    this._norm = tk.layers.batchNormalization({ name: 'feature_standardization', trainable: false });
    this._dropout = tk.layers.dropout({ rate: this.dropoutRate });
    this._dense = tk.layers.dense({ units: k, activation: 'softmax', name: 'predictions' });
    this._head = tk.model({ inputs: input, outputs: this._classify(input) });
    this._headClasses = k;
    this._full = null;
  }

  /** features -> standardised -> dropout -> class probabilities (the shared head layers). */
  _classify(features) {
    return this._dense.apply(this._dropout.apply(this._norm.apply(features)));
  }

  /** Sets the standardisation to the mean and variance of these examples' cached features. */
  _fitStandardization(examples, views) {
    const d = this.featureSize;
    const mean = new Float64Array(d);
    const square = new Float64Array(d);
    let n = 0;
    for (const e of examples) {
      for (let v = 0; v < views; v++) {
        const f = this._cache.get(`${e.cacheKey}/${v}`);
        for (let j = 0; j < d; j++) {
          mean[j] += f[j];
          square[j] += f[j] * f[j];
        }
        n++;
      }
    }
    const m = Float32Array.from(mean, (s) => s / n);
    const variance = Float32Array.from(square, (s, j) => Math.max(s / n - m[j] * m[j], 0));
    const tk = this.tk;
    this._norm.setWeights([tk.ones([d]), tk.zeros([d]), tk.tensor(m, [d]), tk.tensor(variance, [d])]);
  }

  _tensors(examples, views, cache, size) {
    const rows = [];
    const labels = [];
    for (const e of examples) {
      for (let v = 0; v < views; v++) {
        rows.push(cache.get(`${e.cacheKey}/${v}`));
        labels.push(this._labelOf(e));
      }
    }
    const x = new Float32Array(rows.length * size);
    rows.forEach((r, i) => x.set(r, i * size));
    const shape = [rows.length, ...this._featureShapeFor(size)];
    return [this.tk.tensor(x, shape), this.tk.tensor(Float32Array.from(labels), [labels.length])];
  }

  _featureShapeFor(size) {
    return size === this.featureSize ? [size] : this._boundaryShape;
  }

  _checkReady() {
    const counts = this.classNames.map((n) => this.examples.filter((e) => e.label === n).length);
    const used = counts.filter((c) => c > 0).length;
    if (used < 2) throw new ValueError(`training needs images of at least 2 classes; have ${used}`);
    return counts;
  }

  /**
   * Trains the head on cached features of the frozen backbone. Options:
   * epochs (20), batchSize (32), learningRate (1e-3), validationSplit (0),
   * augment (false) with views (4 random views per image), seed, callbacks,
   * onProgress({phase, epoch, epochs, batch, logs}), signal.
   */
  async train(options = {}) {
    const { epochs = 20, batchSize = 32, learningRate = 1e-3, validationSplit = 0, augment = false, seed = 1, callbacks = [], onProgress, signal } = options;
    const views = augment ? (options.views ?? 4) : 1;
    this._checkReady();
    this.tk.setSeed(seed);
    const common = { model: this._extractor, cache: this._cache, onProgress, signal, phase: 'features' };
    // Every image once (unreadable ones are dropped here), then the augmented views.
    await this._computeFeatures(this.examples, 1, common);
    this._checkReady();
    const { train, validation } = this._split(validationSplit, seed);
    if (views > 1) await this._computeFeatures(train, views, common);
    this._ensureHead();
    this._fitStandardization(train, views);
    return this._fit(this._head, train, validation, views, this._cache, this.featureSize, {
      epochs, batchSize, learningRate, seed, callbacks, onProgress, signal, phase: 'train',
    });
  }

  async _fit(model, train, validation, views, cache, size, { epochs, batchSize, learningRate, seed, callbacks, onProgress, signal, phase }) {
    const [x, y] = this._tensors(train, views, cache, size);
    const val = validation.length ? this._tensors(validation, 1, cache, size) : null;
    model.compile({ optimizer: this.tk.train.adam(learningRate), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const steps = Math.ceil(x.shape[0] / batchSize);
    const started = Date.now();
    const progress = {
      onBatchEnd: (batch, logs) => onProgress?.({ phase, epoch: this._epoch, epochs, batch: batch + 1, batches: steps, logs, elapsed: (Date.now() - started) / 1000 }),
      onEpochBegin: (epoch) => { this._epoch = epoch + 1; },
      onEpochEnd: (epoch, logs) => onProgress?.({ phase, epoch: epoch + 1, epochs, batch: steps, batches: steps, logs, epochDone: true, elapsed: (Date.now() - started) / 1000 }),
    };
    try {
      const history = await model.fit(x, y, { epochs, batchSize, shuffle: true, seed, validationData: val ?? undefined, callbacks: [progress, ...callbacks], signal });
      // Per-class precision/recall and the confusion matrix on the validation split.
      if (val) {
        const p = model.predict(val[0]);
        this.validationReport = classificationReport(p.dataSync(), Array.from(val[1].dataSync()), this.classNames);
        p.dispose();
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
    const backboneLayers = this.backbone.model.layers.filter((l) => l.getClassName() !== 'InputLayer');
    // Walk down from the top-N point to the first place the backbone can be
    // split (no skip connection across it) whose activations are small enough
    // to cache for every image (at most MAX_BOUNDARY_VALUES floats each).
    let split = null;
    let boundary = null;
    for (let k = Math.max(1, layers); k < backboneLayers.length && !split; k++) {
      boundary = backboneLayers[backboneLayers.length - 1 - k].name;
      const size = this.backbone.model.layerOutput(boundary).shape.slice(1).reduce((a, b) => a * b, 1);
      if (size <= MAX_BOUNDARY_VALUES && !this.backbone.model.splitObstacle(boundary)) split = this.backbone.model.splitAt(boundary);
    }
    if (!split) throw new ValueError(`cannot find a point to split the backbone below its top ${layers} layers`);
    const [bottom, top] = split;
    this.backbone.model.trainable = false;
    top.trainable = true;

    const [h, w] = this.inputSize;
    const input = tk.input({ shape: [h, w, 3] });
    const boundaryModel = tk.model({ inputs: input, outputs: bottom.apply(this._rescale.apply(input), { training: false }) });
    this._boundaryShape = boundaryModel.outputs[0].shape.slice(1);
    const size = this._boundaryShape.reduce((a, b) => a * b, 1);
    const topInput = tk.input({ shape: this._boundaryShape });
    let x = top.apply(topInput, { training: false });
    if (this._pool) x = this._pool.apply(x);
    const tuned = tk.model({ inputs: topInput, outputs: this._classify(x) });

    const cache = new Map();
    tk.setSeed(seed + 1);
    const common = { model: boundaryModel, cache, onProgress, signal, phase: 'boundary' };
    await this._computeFeatures(this.examples, 1, common);
    const { train, validation } = this._split(validationSplit, seed);
    if (views > 1) await this._computeFeatures(train, views, common);
    try {
      return await this._fit(tuned, train, validation, views, cache, size, {
        epochs, batchSize, learningRate, seed, callbacks, onProgress, signal, phase: 'fine-tune',
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

  /** The whole network, raw pixels [N, h, w, 3] (0-255) -> class probabilities. */
  toModel() {
    this._ensureHead();
    if (!this._full) {
      const [h, w] = this.inputSize;
      const input = this.tk.input({ shape: [h, w, 3] });
      const features = this._extractor.apply(input, { training: false });
      this._full = this.tk.model({ inputs: input, outputs: this._classify(features), name: 'tanuki_classifier' });
    }
    return this._full;
  }

  /** Top classes of one image: [{className, probability}], best first. */
  async predict(image, { topK = this.classNames.length } = {}) {
    return (await predictImages(this.tk, this.toModel(), this.classNames, this.inputSize, this.crop, [image], topK))[0];
  }

  async predictBatch(images, { topK = this.classNames.length } = {}) {
    return predictImages(this.tk, this.toModel(), this.classNames, this.inputSize, this.crop, images, topK);
  }

  /** Report over labelled images [{image, label}] with the whole network. */
  async evaluate(examples, options) {
    return evaluateImages(this.tk, this.toModel(), this.classNames, this.inputSize, this.crop, examples, options);
  }

  /** Saves the whole network (TF.js layers format) with its class names. */
  async save(destination) {
    return saveClassifier(this.tk, this.toModel(), this.metadata(), destination);
  }

  metadata() {
    return { classNames: this.classNames, imageSize: this.inputSize, crop: this.crop, backbone: this.backbone.name, cutLayer: this.backbone.cutLayer };
  }

  /**
   * Frees the models and layers this classifier made (and the backbone, when
   * it loaded it itself) at once, rather than when the garbage collector
   * finds them; cached features are dropped. Models built from them stay usable.
   */
  dispose() {
    for (const model of [this._head, this._full]) {
      model?.optimizer?.dispose();
      model?.loss?.dispose();
    }
    const owned = [this._head, this._full, this._extractor, this._augmenter, this._rescale, this._pool, this._norm, this._dropout, this._dense, this.backbone.model];
    if (this._ownsBackbone) owned.push(this.backbone.full);
    for (const object of owned) object?.dispose();
    this._head = this._full = null;
    if (this._ownsCache) this._cache.clear();
  }
}

async function saveClassifier(tk, model, metadata, destination) {
  return model.save(destination, { metadata, extraFiles: { 'classes.json': JSON.stringify(metadata.classNames) } });
}
