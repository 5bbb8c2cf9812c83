// Variable: a layer's weight, as exposed in layer.weights.
import { Handle } from './memory.js';
import { Tensor } from './tensor.js';

export class Variable extends Handle {
  constructor(tk, handle) {
    super(handle, 'Variable');
    this._tk = tk;
  }

  get name() {
    return this.handle.name();
  }

  get shape() {
    return JSON.parse(this.handle.shapeJson());
  }

  /** False when the weight is never trained (moving statistics) or its layer is frozen. */
  get trainable() {
    return this.handle.trainable();
  }

  /** A copy of the current value. */
  read() {
    return new Tensor(this._tk, this.handle.read());
  }

  assign(tensor) {
    this.handle.assign(tensor.handle);
  }
}
