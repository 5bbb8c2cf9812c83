// Models: LayersModel (functional, tk.model) and Sequential (tk.sequential).
import { json } from './config.js';
import { StateError, ValueError } from './errors.js';
import { fromVector, withVector } from './memory.js';
import { Layer, SymbolicTensor, createLayer, wrapLayer } from './layers.js';
import { Tensor } from './tensor.js';
import { Variable } from './variable.js';
import { fit } from './training/fit.js';
import { fitDataset } from './training/fit_dataset.js';
import { isDataset, predictDataset } from './training/dataset_batches.js';
import { evaluate } from './training/evaluate.js';
import { resolveLoss } from './training/losses.js';
import { metricName } from './training/metrics.js';
import { resolveOptimizer } from './training/optimizers.js';
import { modelArtifacts, saveLayersModel } from './io/layers_model.js';
import { isOnnxDestination, onnxArtifacts, saveOnnxModel } from './io/onnx_export.js';

export class LayersModel extends Layer {
  constructor(tk, handle) {
    super(tk, handle);
    this._what = 'Model';
    /** Set to true (e.g. from a callback) to stop fit() after the current batch. */
    this.stopTraining = false;
    this.optimizer = null;
    this.loss = null;
  }

  get layers() {
    return fromVector(this.handle.layers(), (h) => wrapLayer(this._tk, h));
  }

  getLayer(name) {
    return wrapLayer(this._tk, this.handle.getLayer(String(name)));
  }

  /**
   * Splits the model at a layer's output into [bottom, top] models that share
   * its layers: bottom(x) computes that layer's output, top(features) the rest.
   */
  splitAt(layerName) {
    return fromVector(this._tk.core.splitModel(this.handle, String(layerName)), (h) => wrapLayer(this._tk, h));
  }

  /** Why splitAt(layerName) would fail (a skip connection across the cut), or '' when it would not. */
  splitObstacle(layerName) {
    return this.handle.splitObstacle(String(layerName));
  }

  /** The model's input SymbolicTensors (for building models on top of it). */
  get inputs() {
    return fromVector(this.handle.inputs(), (h) => new SymbolicTensor(this._tk, h));
  }

  get outputs() {
    return fromVector(this.handle.outputs(), (h) => new SymbolicTensor(this._tk, h));
  }

  /**
   * The SymbolicTensor a named layer produces inside this model (Keras's
   * model.get_layer(name).output). Cut a backbone with
   * tk.model({inputs: base.inputs, outputs: base.layerOutput('out_relu')}).
   */
  layerOutput(name) {
    return new SymbolicTensor(this._tk, this.handle.layerOutput(String(name)));
  }

  /**
   * Prints a Keras-style table (and returns it): summary(lineLength,
   * positions, printFn) as in TF.js, or summary({lineLength, showTrainable,
   * printFn}) as Keras's summary(show_trainable=True), which adds a column
   * saying whether each layer is trainable (Y) or frozen (N).
   */
  summary(lineLength = 80, positions, printFn = console.log) {
    let showTrainable = false;
    if (lineLength !== null && typeof lineLength === 'object') {
      ({ lineLength = 80, showTrainable = false, printFn = console.log } = lineLength);
    }
    let text = this.handle.summary(lineLength);
    if (showTrainable) text = withTrainableColumn(text, this.layers, lineLength);
    printFn(text.trimEnd());
    return text;
  }

  /**
   * Configures training. optimizer: a name ('adam', 'sgd', ...) or an
   * optimizer from tk.train / tk.optimizers; loss: a name or {name, ...options};
   * metrics: e.g. ['accuracy']. Captures which layers are trainable now:
   * later changes to `trainable` take effect at the next compile().
   */
  compile({ optimizer, loss, metrics = [] } = {}) {
    if (optimizer === undefined) throw new ValueError('compile() needs an optimizer');
    if (loss === undefined) throw new ValueError('compile() needs a loss');
    const opt = resolveOptimizer(this._tk, optimizer);
    const lossObject = resolveLoss(this._tk, loss);
    const metricNames = (Array.isArray(metrics) ? metrics : [metrics]).map((m) => {
      const name = metricName(m);
      if (name === undefined)
        throw new ValueError(`metrics must be names such as 'accuracy' or tk.metrics objects, got ${m}`);
      return name;
    });
    this._tk.core.compileModel(this.handle, opt.handle, lossObject.handle, json(metricNames));
    this.optimizer = opt;
    this.loss = lossObject;
    this.metricsNames = ['loss', ...metricNames];
  }

  get isCompiled() {
    return this._tk.core.isCompiled(this.handle);
  }

  _requireCompiled(what) {
    if (!this.isCompiled) {
      throw new StateError(`model '${this.name}' must be compiled before ${what}; call compile() first`);
    }
  }

  /**
   * Saves in the TF.js layers format: a directory (Node), 'downloads://name'
   * (browser), or a function given {modelJson, weightData}. A destination
   * ending in .onnx (a path, file:// URL or 'downloads://name.onnx') saves an
   * ONNX file instead; options then are toOnnx()'s.
   */
  async save(destination, options) {
    if (isOnnxDestination(destination)) return saveOnnxModel(this._tk, this, destination, options);
    return saveLayersModel(this._tk, this, destination, options);
  }

  /**
   * The model as an ONNX file (Uint8Array), for ONNX Runtime: options
   * {opset: 11..21 (13), inputLayout: 'nhwc' | 'nchw'}.
   */
  toOnnx(options) {
    return onnxArtifacts(this._tk, this, options).onnx;
  }

  /** {onnx, droppedLayers}: toOnnx()'s bytes and the layers left out (identity in inference). */
  toOnnxArtifacts(options) {
    return onnxArtifacts(this._tk, this, options);
  }

  /** {modelJson, weightData} without writing anything. */
  toArtifacts({ metadata } = {}) {
    return modelArtifacts(this._tk, this, 'weights.bin', metadata);
  }

  /**
   * Trains for a number of epochs; resolves to a History. fit(x, y, args)
   * with tensors (training/fit.js), or fit(dataset, args) as Keras's
   * fit(train_ds) (training/fit_dataset.js).
   */
  async fit(x, y, args = {}) {
    if (isDataset(x)) return fitDataset(this, x, y ?? {});
    return fit(this, x, y, args);
  }

  /** TF.js's name for fit(dataset, args). */
  async fitDataset(dataset, args = {}) {
    return fitDataset(this, dataset, args);
  }

  /** Loss and metrics in inference mode: {loss, accuracy, ...}; evaluate(x, y, args) or evaluate(dataset, args). */
  async evaluate(x, y, args = {}) {
    return evaluate(this, x, y, args);
  }

  /**
   * Outputs for x (batched, training=false). For a dataset, a promise of one
   * tensor of every output in the dataset's order (memory: count x outputs).
   */
  predict(x, { batchSize = 32 } = {}) {
    if (isDataset(x)) return predictDataset(this, x);
    if (!(x instanceof Tensor)) throw new ValueError('predict() takes a Tensor or a dataset');
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new ValueError('batchSize must be a positive integer');
    return new Tensor(this._tk, this._tk.core.predict(this.handle, x.handle, batchSize));
  }

  /** One gradient step on a batch; returns the batch loss. */
  trainOnBatch(x, y, sampleWeight) {
    this._requireCompiled('training');
    const core = this._tk.core;
    const empty = sampleWeight ? null : core.emptyTensor();
    try {
      return core.trainOnBatch(this.handle, x.handle, y.handle, sampleWeight ? sampleWeight.handle : empty);
    } finally {
      empty?.delete();
    }
  }

  /**
   * For custom training loops (Keras's GradientTape pattern): runs the model
   * on x, computes the loss against y and the gradients of every trainable
   * weight. Returns {loss, grads: [{variable, gradient}]}; pass grads to
   * optimizer.applyGradients().
   */
  computeGradients(x, y, { loss, training = true } = {}) {
    const lossObject = resolveLoss(this._tk, loss ?? this.loss);
    if (!lossObject) throw new ValueError('computeGradients() needs a loss');
    const result = this._tk.core.computeGradients(this.handle, x.handle, y.handle, lossObject.handle, training);
    try {
      const grads = [];
      for (let i = 0; i < result.count(); i++) {
        grads.push({
          variable: new Variable(this._tk, result.variable(i)),
          gradient: new Tensor(this._tk, result.gradient(i)),
        });
      }
      return { loss: result.loss(), grads };
    } finally {
      result.delete();
      if (lossObject !== this.loss && lossObject !== loss) lossObject.dispose();
    }
  }
}

/**
 * The core's summary with a "Trainable" column: each layer row starts with
 * "name (Class)" (the name cut short when longer than its column), so a row
 * finds its layer by name; rules and totals are left as they are.
 */
function withTrainableColumn(text, layers, lineLength) {
  const flags = layers.map((layer) => [layer.name, layer.trainable]);
  layers.forEach((layer) => layer.dispose());
  const lines = text.split('\n');
  const header = lines.findIndex((line) => line.startsWith('Layer (type)'));
  const totals = lines.findIndex((line) => line.startsWith('Total params'));
  if (header < 0 || totals < 0) return text;
  const rule = (line) => /^[_=]+$/.test(line);
  return lines
    .map((line, i) => {
      if (rule(line)) return line + line[0].repeat(10);
      if (i < header || i >= totals || line.indexOf(' (') <= 0) return line;
      if (i === header) return `${line.padEnd(lineLength)}Trainable`;
      const name = line.slice(0, line.indexOf(' ('));
      const flag = flags.find(([n]) => n === name) ?? flags.find(([n]) => n.startsWith(name));
      return `${line.padEnd(lineLength)}${flag ? (flag[1] ? 'Y' : 'N') : '-'}`;
    })
    .join('\n');
}

export class Sequential extends LayersModel {
  /**
   * Adds a layer on top of the stack. As in Keras, the first entry may be
   * tk.input({shape}) instead of a layer: it declares the model's input.
   */
  add(layer) {
    if (layer instanceof SymbolicTensor) {
      const input = createLayer(this._tk, 'InputLayer', { batchInputShape: layer.shape });
      try {
        this.handle.add(input.handle);
      } finally {
        input.dispose();
      }
      return;
    }
    if (!(layer instanceof Layer)) throw new ValueError('Sequential.add() takes a layer or tk.input({shape})');
    this.handle.add(layer.handle);
  }

  pop() {
    this.handle.pop();
  }
}

export function makeSequential(tk, { layers = [], name = '' } = {}) {
  const model = new Sequential(tk, tk.core.makeSequential(name));
  for (const layer of layers) model.add(layer);
  return model;
}

export function makeModel(tk, { inputs, outputs, name = '' } = {}) {
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  for (const t of [...ins, ...outs]) {
    if (!(t instanceof SymbolicTensor)) throw new ValueError('model() takes symbolic tensors from tk.input() and layer.apply()');
  }
  const core = tk.core;
  const handle = withVector(core.SymbolicTensorVector, ins.map((t) => t.handle), (vi) =>
    withVector(core.SymbolicTensorVector, outs.map((t) => t.handle), (vo) => core.makeFunctional(vi, vo, name)),
  );
  return new LayersModel(tk, handle);
}

export function makeInput(tk, { shape, name = '' } = {}) {
  if (!Array.isArray(shape)) throw new ValueError('input() needs {shape: [...]}, without the batch dimension');
  return new SymbolicTensor(tk, tk.core.makeInput(json(shape), name));
}
