// Ownership of C++ objects held by JavaScript wrappers.
//
// Every wrapper owns one Embind handle. dispose() frees it at once (and
// `using` does the same through Symbol.dispose); a FinalizationRegistry frees
// handles whose wrappers were garbage-collected without dispose(), as a
// safety net. A disposed wrapper throws a StateError naming the object.
import { StateError } from './errors.js';

let live = 0;
const registry = new FinalizationRegistry((handle) => {
  live--;
  if (!handle.isDeleted()) handle.delete();
});

export class Handle {
  /** @param {object} handle Embind object this wrapper owns. */
  constructor(handle, what) {
    if (!handle) throw new StateError(`${what}: no object was created`);
    this._handle = handle;
    this._what = what;
    live++;
    registry.register(this, handle, this);
  }

  /** The Embind handle; throws once disposed. */
  get handle() {
    if (!this._handle) throw new StateError(`${this._what} has been disposed and cannot be used`);
    return this._handle;
  }

  get isDisposed() {
    return this._handle === null;
  }

  dispose() {
    if (!this._handle) return;
    registry.unregister(this);
    live--;
    this._handle.delete();
    this._handle = null;
  }
}
if (typeof Symbol.dispose === 'symbol') Handle.prototype[Symbol.dispose] = Handle.prototype.dispose;

/** Number of wrappers alive (not disposed, not collected). */
export function liveHandles() {
  return live;
}

/** Copies an Embind vector into an array via wrap(), then frees the vector. */
export function fromVector(vector, wrap) {
  try {
    const out = [];
    const n = vector.size();
    for (let i = 0; i < n; i++) out.push(wrap(vector.get(i)));
    return out;
  } finally {
    vector.delete();
  }
}

/** Runs fn with an Embind vector holding the given handles, then frees it. */
export function withVector(VectorClass, handles, fn) {
  const vector = new VectorClass();
  try {
    for (const h of handles) vector.push_back(h);
    return fn(vector);
  } finally {
    vector.delete();
  }
}

/**
 * Disposes wrappers (nested in arrays; null and undefined skipped). Graph
 * building makes many short-lived ones: model.inputs, layerOutput(), the
 * SymbolicTensors of apply(). Each keeps its node, and so the layers and
 * weights behind it, alive in the WebAssembly heap until it is disposed or
 * collected, so library code frees them as soon as the model holds its own.
 */
export function disposeAll(...wrappers) {
  for (const w of wrappers.flat(Infinity)) w?.dispose();
}

/** The shape of a list's first SymbolicTensor (model.inputs, model.outputs); the list is freed. */
export function firstShape(symbolicTensors) {
  try {
    return symbolicTensors[0].shape;
  } finally {
    disposeAll(symbolicTensors);
  }
}
