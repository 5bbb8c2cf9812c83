// Optimizers: tk.train.adam(0.001) (TF.js style) or tk.optimizers.adam({learningRate}).
import { json, toKerasConfig } from '../config.js';
import { ValueError } from '../errors.js';
import { Handle, withVector } from '../memory.js';

export class Optimizer extends Handle {
  constructor(tk, handle) {
    super(handle, 'Optimizer');
    this._tk = tk;
  }

  getClassName() {
    return this.handle.className();
  }

  getConfig() {
    return JSON.parse(this.handle.configJson());
  }

  /** Number of steps taken. */
  get iterations() {
    return this.handle.iterations();
  }

  /** The learning rate at the current step (schedules included). */
  get learningRate() {
    return this.handle.learningRate();
  }

  /**
   * Applies one step. grads: [{variable, gradient}] as returned by
   * model.computeGradients(), or [[variable, gradient], ...], each variable
   * once (a ValueError names one given twice). All or nothing: a step that
   * would make a weight NaN or infinite throws TrainingDivergedError and
   * leaves every weight and the optimizer's state as they were.
   */
  applyGradients(grads) {
    if (!Array.isArray(grads)) throw new ValueError('applyGradients() takes an array of {variable, gradient}');
    const pairs = grads.map((g) => (Array.isArray(g) ? { variable: g[0], gradient: g[1] } : g));
    const core = this._tk.core;
    withVector(core.VariableVector, pairs.map((p) => p.variable.handle), (vars) =>
      withVector(core.TensorVector, pairs.map((p) => p.gradient.handle), (gs) => this.handle.applyGradients(vars, gs)),
    );
  }
}

/** Learning-rate schedules, usable as `learningRate`. */
export const schedules = {
  exponentialDecay: ({ initialLearningRate, decaySteps, decayRate, staircase = false }) => ({
    class_name: 'ExponentialDecay',
    config: { initial_learning_rate: initialLearningRate, decay_steps: decaySteps, decay_rate: decayRate, staircase },
  }),
  cosineDecay: ({ initialLearningRate, decaySteps, alpha = 0 }) => ({
    class_name: 'CosineDecay',
    config: { initial_learning_rate: initialLearningRate, decay_steps: decaySteps, alpha },
  }),
};

function make(tk, name, options) {
  const config = toKerasConfig(options);
  // TF.js spells Adam's betas beta1/beta2; Keras beta_1/beta_2.
  for (const b of ['1', '2']) {
    if (`beta${b}` in config) {
      config[`beta_${b}`] = config[`beta${b}`];
      delete config[`beta${b}`];
    }
  }
  return new Optimizer(tk, tk.core.createOptimizer(name, json(config)));
}

export function optimizerFactories(tk) {
  const names = ['sgd', 'adam', 'adamw', 'rmsprop'];
  const optimizers = {};
  for (const name of names) optimizers[name] = (options = {}) => make(tk, name, options);
  // TF.js's tf.train.* take positional arguments.
  const train = {
    sgd: (learningRate = 0.01) => make(tk, 'sgd', { learningRate }),
    momentum: (learningRate, momentum, useNesterov = false) => make(tk, 'sgd', { learningRate, momentum, nesterov: useNesterov }),
    adam: (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) =>
      make(tk, 'adam', { learningRate, beta_1: beta1, beta_2: beta2, epsilon }),
    adamw: (learningRate = 0.001, weightDecay = 0.004) => make(tk, 'adamw', { learningRate, weightDecay }),
    rmsprop: (learningRate = 0.001, rho = 0.9, momentum = 0, epsilon = 1e-7) =>
      make(tk, 'rmsprop', { learningRate, rho, momentum, epsilon }),
  };
  return { optimizers, train };
}

/** compile()'s optimizer argument: a name or an Optimizer. */
export function resolveOptimizer(tk, optimizer) {
  if (optimizer instanceof Optimizer) return optimizer;
  if (typeof optimizer === 'string') return make(tk, optimizer, {});
  throw new ValueError(`optimizer must be a name ('adam', 'sgd', 'rmsprop', 'adamw') or an optimizer object`);
}
