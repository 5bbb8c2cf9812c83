// Tensor: float32 values with a shape, stored in the WebAssembly heap.
import { Handle } from './memory.js';
import { ValueError } from './errors.js';

/** Infers the shape of nested arrays ([[1, 2], [3, 4]] -> [2, 2]). */
function inferShape(values) {
  const shape = [];
  let v = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

function flatten(values, out = []) {
  if (Array.isArray(values)) {
    for (const v of values) flatten(v, out);
  } else if (ArrayBuffer.isView(values)) {
    for (const v of values) out.push(v);
  } else {
    out.push(values);
  }
  return out;
}

export class Tensor extends Handle {
  constructor(tk, handle) {
    super(handle, 'Tensor');
    this._tk = tk;
  }

  /** @returns {number[]} */
  get shape() {
    return JSON.parse(this.handle.shapeJson());
  }

  get rank() {
    return this.shape.length;
  }

  get size() {
    return this.handle.size();
  }

  get dtype() {
    return 'float32';
  }

  /** A copy of the values, row-major. */
  dataSync() {
    const h = this.handle;
    const start = h.dataPointer() >>> 2;
    return this._tk.core.HEAPF32.slice(start, start + h.size());
  }

  async data() {
    return this.dataSync();
  }

  /** The values as nested arrays. */
  arraySync() {
    const values = Array.from(this.dataSync());
    const shape = this.shape;
    if (shape.length === 0) return values[0];
    const build = (offset, axis) => {
      const n = shape[axis];
      if (axis === shape.length - 1) return values.slice(offset, offset + n);
      const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: n }, (_, i) => build(offset + i * stride, axis + 1));
    };
    return build(0, 0);
  }

  async array() {
    return this.arraySync();
  }

  reshape(shape) {
    return new Tensor(this._tk, this.handle.reshape(JSON.stringify(shape)));
  }

  clone() {
    return new Tensor(this._tk, this.handle.deepCopy());
  }

  /**
   * Rows of axis 0 by index. Copied here within the heap, not in the core: a
   * training step gathers its batch twice (x and y), and passing the indices
   * as text cost more than the head's whole step.
   */
  gather(indices) {
    const shape = this.shape;
    if (shape.length < 1) throw new ValueError('gather needs a tensor of rank >= 1');
    const n = shape[0];
    const rows = Array.from(indices);
    for (const r of rows) {
      if (!Number.isInteger(r) || r < 0 || r >= n) throw new ValueError(`row index ${r} is out of range for ${n} rows`);
    }
    const rowSize = n ? this.size / n : 0;
    const out = new Tensor(this._tk, this._tk.core.makeTensor(JSON.stringify([rows.length, ...shape.slice(1)])));
    // The heap view is taken after the allocation, which may have grown it.
    const heap = this._tk.core.HEAPF32;
    const from = this.handle.dataPointer() >>> 2;
    const to = out.handle.dataPointer() >>> 2;
    if (rowSize === 1) {
      rows.forEach((r, i) => { heap[to + i] = heap[from + r]; });
    } else {
      rows.forEach((r, i) => heap.copyWithin(to + i * rowSize, from + r * rowSize, from + (r + 1) * rowSize));
    }
    return out;
  }

  toString() {
    return `Tensor(shape=[${this.shape.join(', ')}])`;
  }
}

/**
 * Makes a tensor from a number, nested arrays or a flat (typed) array with a
 * shape, as tf.tensor() does.
 */
export function makeTensor(tk, values, shape) {
  if (values instanceof Tensor) return values.clone();
  let flat;
  if (typeof values === 'number') {
    flat = [values];
    shape ??= [];
  } else if (ArrayBuffer.isView(values)) {
    flat = values;
    shape ??= [values.length];
  } else if (Array.isArray(values)) {
    const inferred = inferShape(values);
    flat = flatten(values);
    shape ??= inferred;
  } else {
    throw new ValueError(`tensor(): values must be a number, an array or a typed array, got ${typeof values}`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ValueError(`tensor(): shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (flat.length !== size) {
    throw new ValueError(`tensor(): shape [${shape.join(', ')}] needs ${size} values, got ${flat.length}`);
  }
  const handle = tk.core.makeTensor(JSON.stringify(shape));
  const tensor = new Tensor(tk, handle);
  const start = handle.dataPointer() >>> 2;
  const heap = tk.core.HEAPF32;
  if (ArrayBuffer.isView(flat) && !(flat instanceof Float32Array)) {
    heap.set(Float32Array.from(flat), start);
  } else {
    heap.set(flat, start);
  }
  return tensor;
}

/** Stacks tensors along axis 0 (their other dimensions must agree). */
export function concat(tk, tensors) {
  if (!tensors.length) throw new ValueError('concat() needs at least one tensor');
  const rest = tensors[0].shape.slice(1);
  let rows = 0;
  for (const t of tensors) {
    const s = t.shape;
    if (s.length !== rest.length + 1 || s.slice(1).some((d, i) => d !== rest[i])) {
      throw new ValueError(`concat(): shapes [${tensors[0].shape}] and [${s}] differ beyond axis 0`);
    }
    rows += s[0];
  }
  const out = new Tensor(tk, tk.core.makeTensor(JSON.stringify([rows, ...rest])));
  let offset = out.handle.dataPointer() >>> 2;
  for (const t of tensors) {
    const h = t.handle;
    const start = h.dataPointer() >>> 2;
    const heap = tk.core.HEAPF32;
    heap.copyWithin(offset, start, start + h.size());
    offset += h.size();
  }
  return out;
}
