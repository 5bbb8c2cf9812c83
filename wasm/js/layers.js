// Layer and SymbolicTensor wrappers, and the tk.layers factories.
import { fromKerasConfig, json, toKerasConfig } from './config.js';
import { ValueError } from './errors.js';
import { fromVector, Handle, withVector } from './memory.js';
import { Tensor } from './tensor.js';
import { Variable } from './variable.js';

/** The output of a layer applied to input(): a node of a model graph. */
export class SymbolicTensor extends Handle {
  constructor(tk, handle) {
    super(handle, 'SymbolicTensor');
    this._tk = tk;
  }

  get shape() {
    return JSON.parse(this.handle.shapeJson());
  }

  toString() {
    return `SymbolicTensor(shape=[${this.shape.map((d) => d ?? 'null').join(', ')}])`;
  }
}

export class Layer extends Handle {
  constructor(tk, handle) {
    super(handle, 'Layer');
    this._tk = tk;
  }

  get name() {
    return this.handle.name();
  }

  getClassName() {
    return this.handle.className();
  }

  get trainable() {
    return this.handle.trainable();
  }

  /** Freezes (false) or unfreezes (true) the layer; for a model, every layer inside it. */
  set trainable(value) {
    if (typeof value !== 'boolean') throw new ValueError(`trainable must be true or false, got ${value}`);
    this.handle.setTrainable(value);
  }

  get built() {
    return this.handle.built();
  }

  get weights() {
    return fromVector(this.handle.weights(), (h) => new Variable(this._tk, h));
  }

  get trainableWeights() {
    return fromVector(this.handle.trainableWeights(), (h) => new Variable(this._tk, h));
  }

  get nonTrainableWeights() {
    return fromVector(this.handle.nonTrainableWeights(), (h) => new Variable(this._tk, h));
  }

  countParams() {
    return this.handle.countParams();
  }

  /** Copies of the weight values, in `weights` order. */
  getWeights() {
    return fromVector(this.handle.getWeights(), (h) => new Tensor(this._tk, h));
  }

  setWeights(tensors) {
    if (!Array.isArray(tensors)) throw new ValueError('setWeights() takes an array of tensors');
    withVector(this._tk.core.TensorVector, tensors.map((t) => t.handle), (v) => this.handle.setWeights(v));
  }

  /** Creates the weights for an input shape such as [null, 4] (or a list of shapes). */
  build(inputShape) {
    const shapes = Array.isArray(inputShape[0]) || inputShape.length === 0 ? inputShape : [inputShape];
    this.handle.build(json(shapes));
  }

  computeOutputShape(inputShape) {
    const shapes = Array.isArray(inputShape[0]) ? inputShape : [inputShape];
    return JSON.parse(this.handle.computeOutputShape(json(shapes)));
  }

  /**
   * Calls the layer. On tensors it computes now and returns a Tensor; on
   * SymbolicTensors (from tk.input) it adds to a model graph. `training`
   * selects training behaviour (BatchNormalization, Dropout, augmentation).
   */
  apply(inputs, { training } = {}) {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length === 0) throw new ValueError(`layer '${this.name}': apply() needs at least one input`);
    if (list.every((x) => x instanceof SymbolicTensor)) {
      const flag = training === undefined ? -1 : training ? 1 : 0;
      const handle = withVector(this._tk.core.SymbolicTensorVector, list.map((x) => x.handle), (v) =>
        this.handle.applySymbolic(v, flag),
      );
      return new SymbolicTensor(this._tk, handle);
    }
    if (!list.every((x) => x instanceof Tensor)) {
      throw new ValueError(`layer '${this.name}': apply() takes Tensors or SymbolicTensors (not a mix)`);
    }
    const handle = withVector(this._tk.core.TensorVector, list.map((x) => x.handle), (v) =>
      this.handle.apply(v, Boolean(training)),
    );
    return new Tensor(this._tk, handle);
  }

  /** The layer's config with camelCase keys, as TF.js's getConfig(). */
  getConfig() {
    return fromKerasConfig(JSON.parse(this.handle.configJson()));
  }

  toString() {
    return `${this.getClassName()}(name=${this.name})`;
  }
}

/** Wraps a C++ layer handle in the JS class matching its kind. */
export function wrapLayer(tk, handle) {
  const kind = handle.className();
  if (kind === 'Sequential') return new tk.Sequential(handle);
  if (kind === 'Functional') return new tk.LayersModel(handle);
  return new Layer(tk, handle);
}

/** Makes any registered layer from a Keras class name and TF.js-style options. */
export function createLayer(tk, className, options) {
  const config = toKerasConfig(options);
  return wrapLayer(tk, tk.core.createLayer(className, json(config)));
}

/**
 * The TF.js factory name of a Keras layer class: lowerCamelCase, with a
 * trailing "2D" written "2d" as TF.js does (Conv2D → conv2d, ReLU → reLU,
 * GlobalAveragePooling2D → globalAveragePooling2d).
 */
export function factoryName(className) {
  return (className[0].toLowerCase() + className.slice(1)).replace(/2D$/, '2d');
}

/** tk.layers: one factory per layer class the core registers. */
export function layerFactories(tk) {
  const factories = {};
  for (const className of JSON.parse(tk.core.supportedLayers())) {
    factories[factoryName(className)] = (options = {}) => createLayer(tk, className, options);
  }
  return factories;
}
