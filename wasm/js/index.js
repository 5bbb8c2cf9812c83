// Tanuki's JavaScript entry: `const tk = await tanuki.load()`.
//
// load() instantiates the WebAssembly core and returns an instance object
// whose names follow TensorFlow.js: tk.tensor, tk.layers.dense, tk.input,
// tk.sequential, tk.model, tk.train.adam, ... Each instance owns its own
// WebAssembly memory; objects from one instance cannot be used with another.
import { guardCore, TanukiError, ValueError, StateError, FormatError, OutOfMemoryError, TrainingDivergedError } from './errors.js';
import { instantiate } from './loader.js';
import { Layer, layerFactories, SymbolicTensor, wrapLayer } from './layers.js';
import { liveHandles } from './memory.js';
import { LayersModel, makeInput, makeModel, makeSequential, Sequential } from './model.js';
import { makeRandom } from './random.js';
import { concat, makeTensor, Tensor } from './tensor.js';
import { makeDataApi } from './data/dataset.js';
import { makeImageApi } from './data/image.js';
import { loadGraphModel } from './io/graph_model.js';
import { loadLayersModel } from './io/layers_model.js';
import { loadModel, loadOnnxModel } from './io/onnx_model.js';
import { loadBackbone } from './transfer/backbone.js';
import { applications } from './transfer/applications.js';
import { CATALOG } from './transfer/catalog.js';
import { classificationReport, formatReport } from './transfer/classification_report.js';
import { ImageClassifier } from './transfer/image_classifier.js';
import { loadClassifier } from './transfer/saved_classifier.js';
import { EarlyStopping, History } from './training/callbacks.js';
import { lossFactories } from './training/losses.js';
import { metricFactories } from './training/metrics.js';
import { optimizerFactories, schedules } from './training/optimizers.js';
import { Variable } from './variable.js';

export const errors = { TanukiError, ValueError, StateError, FormatError, OutOfMemoryError, TrainingDivergedError };
export { TanukiError, ValueError, StateError, FormatError, OutOfMemoryError, TrainingDivergedError };

class Instance {
  constructor(core) {
    this.core = guardCore(core);
    const tk = this;
    this.Tensor = Tensor;
    this.Variable = Variable;
    this.Layer = Layer;
    this.SymbolicTensor = SymbolicTensor;
    // Bound classes so wrapLayer() can make models of this instance.
    this.LayersModel = class extends LayersModel {
      constructor(handle) {
        super(tk, handle);
      }
    };
    this.Sequential = class extends Sequential {
      constructor(handle) {
        super(tk, handle);
      }
    };
    this.layers = layerFactories(this);
    this.applications = applications(this);
    /** The backbones tk.loadBackbone(id) knows, with their sizes and hosts. */
    this.backboneCatalog = CATALOG;
    const { optimizers, train } = optimizerFactories(this);
    this.optimizers = optimizers;
    this.train = train;
    this.schedules = schedules;
    this.callbacks = { earlyStopping: (options) => new EarlyStopping(options), EarlyStopping, History };
    this.losses = lossFactories(this);
    this.errors = errors;
    this.image = makeImageApi(this);
    this.data = makeDataApi(this);
    this.ImageClassifier = {
      fromBackbone: (spec, options) => ImageClassifier.fromBackbone(this, spec, options),
    };
    this.metrics = { ...metricFactories(), classificationReport, formatReport };
    this._random = makeRandom(0x74616e75);
  }

  /** tf.tensor(values, shape?) */
  tensor(values, shape) {
    return makeTensor(this, values, shape);
  }

  zeros(shape) {
    return makeTensor(this, new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
  }

  ones(shape) {
    return makeTensor(this, new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape);
  }

  /** Uniform random values in [minval, maxval). */
  randomUniform(shape, minval = 0, maxval = 1) {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = minval + (maxval - minval) * this._random();
    return makeTensor(this, values, shape);
  }

  /** Normal random values (Box-Muller). */
  randomNormal(shape, mean = 0, stdDev = 1) {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const u = 1 - this._random();
      const v = this._random();
      values[i] = mean + stdDev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
    return makeTensor(this, values, shape);
  }

  /** Seeds every random choice: weight initialisation, shuffling, random tensors. */
  setSeed(seed) {
    if (!Number.isInteger(seed) || seed < 0) throw new ValueError(`seed must be a non-negative integer, got ${seed}`);
    this.core.setSeed(seed);
    this._random = makeRandom(seed);
  }

  /** A seed drawn from the instance's generator (for fit()'s shuffling). */
  nextSeed() {
    return Math.floor(this._random() * 2 ** 32);
  }

  /** Stacks tensors along axis 0. */
  concat(tensors) {
    return concat(this, tensors);
  }

  /** Loads and cuts a pretrained backbone; see transfer/backbone.js. */
  loadBackbone(spec, options) {
    return loadBackbone(this, spec, options);
  }

  /** Loads a classifier saved by ImageClassifier.save() (predict, evaluate); see transfer/saved_classifier.js. */
  loadClassifier(source) {
    return loadClassifier(this, source);
  }

  /** Loads a Keras model in the TF.js layers format; see io/layers_model.js. */
  loadLayersModel(source, options) {
    return loadLayersModel(this, source, options);
  }

  /** Any model file Tanuki reads, recognised by content; see io/onnx_model.js. */
  loadModel(source, options) {
    return loadModel(this, source, options);
  }

  loadOnnxModel(source, options) {
    return loadOnnxModel(this, source, options);
  }

  /** TF.js graph-model import; see io/graph_model.js. */
  loadGraphModel(source, options) {
    return loadGraphModel(this, source, options);
  }

  /** Wraps a C++ model handle in the matching JS class. */
  wrapModel(handle) {
    return wrapLayer(this, handle);
  }

  /** Keras's Input(): a symbolic tensor of the given shape (no batch dimension). */
  input(options) {
    return makeInput(this, options);
  }

  sequential(options) {
    return makeSequential(this, options);
  }

  model(options) {
    return makeModel(this, options);
  }

  /** Threads the kernels split work over (1: the single-threaded build). */
  get threads() {
    return this.core.threadCount();
  }

  /** 'relaxed': the build with relaxed SIMD's fused multiply-add; 'plain': WebAssembly SIMD 1.0. */
  get simd() {
    return this.core.tanukiSimd;
  }

  /**
   * Runs fn (sync or async) with the layer profiler on and returns where the
   * time went: {result, entries}, entries being {what, phase, seconds, calls}
   * sorted by time, where `what` is a layer class or a fused chain such as
   * 'Conv2D+BatchNormalization+ReLU' and `phase` is 'inference', 'forward',
   * 'backward' or 'optimizer'. With {byLayer: true} each layer's calls are
   * an entry of their own, named by `layer` (a fused chain by its
   * convolution's name; the optimizer's and the summing of a shared
   * tensor's gradients have none). Profiles do not nest.
   */
  async profile(fn, { byLayer = false } = {}) {
    this.core.profilerStart(Boolean(byLayer));
    let result;
    try {
      result = await fn();
    } catch (error) {
      this.core.profilerStop();
      throw error;
    }
    return { result, entries: JSON.parse(this.core.profilerStop()) };
  }

  /**
   * heapBytes: size of the WebAssembly memory; usedBytes: bytes allocated in
   * it now; liveHandles: JS wrappers not yet disposed or collected.
   */
  memory() {
    return { heapBytes: this.core.HEAPU8.length, usedBytes: this.core.heapUsedBytes(), liveHandles: liveHandles() };
  }
}

/**
 * Loads the WebAssembly core. Options: locateFile(file) or baseUrl to say
 * where the files of dist/wasm/ are served from; threads: 'auto' | n | false;
 * simd: 'auto' | 'relaxed' | 'plain' (see loader.js).
 */
export async function load(options = {}) {
  const core = await instantiate(options);
  return new Instance(core);
}

export default { load, errors };
