// Losses by TF.js or Keras name, with options: 'binaryCrossentropy' or
// {name: 'categoricalCrossentropy', fromLogits: true, labelSmoothing: 0.1}.
import { json, toKerasConfig } from '../config.js';
import { ValueError } from '../errors.js';
import { Handle } from '../memory.js';

export class Loss extends Handle {
  constructor(tk, handle) {
    super(handle, 'Loss');
    this._tk = tk;
  }

  get name() {
    return this.handle.name();
  }

  /** Mean loss of predictions against targets (both Tensors). */
  compute(yTrue, yPred) {
    return this.handle.compute(yTrue.handle, yPred.handle);
  }
}

export function resolveLoss(tk, loss) {
  if (loss instanceof Loss) return loss;
  if (typeof loss === 'string') return new Loss(tk, tk.core.createLoss(loss, '{}'));
  if (loss && typeof loss === 'object' && typeof loss.name === 'string') {
    const { name, ...options } = loss;
    return new Loss(tk, tk.core.createLoss(name, json(toKerasConfig(options))));
  }
  throw new ValueError(`loss must be a name such as 'binaryCrossentropy' or {name, ...options}, got ${loss}`);
}

// tk.losses.binaryCrossentropy({fromLogits: true}): Keras's loss objects
// (keras.losses.BinaryCrossentropy(from_logits=True)) under TF.js-style names.
const lossNames = ['meanSquaredError', 'binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy'];

export function lossFactories(tk) {
  const factories = { get: (loss) => resolveLoss(tk, loss) };
  for (const name of lossNames) factories[name] = (options = {}) => resolveLoss(tk, { ...options, name });
  return factories;
}
