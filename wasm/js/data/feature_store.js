// FeatureStore: one float32 row per sample (cached activations), in memory up
// to a budget and, in Node, in a temporary file beyond it.
//
// fit() keeps the output of a frozen bottom here for every sample of a
// dataset, computed once and read back per batch in each epoch. The first
// rows that fit in `memoryBytes` stay in memory; the rest go to a file in the
// system's temporary folder (read back through the page cache), removed by
// dispose(). Browsers have no such file: there every row stays in memory.
import { fs, os, path } from './node_fs.js';

export const DEFAULT_FEATURE_MEMORY_BYTES = 256 * 2 ** 20;

export class FeatureStore {
  constructor(rowShape, { memoryBytes = DEFAULT_FEATURE_MEMORY_BYTES } = {}) {
    this.rowShape = rowShape;
    this.rowValues = rowShape.reduce((a, b) => a * b, 1);
    this._rowBytes = this.rowValues * 4;
    this._memoryRows = fs ? Math.floor(memoryBytes / this._rowBytes) : Infinity;
    this._memory = [];  // row arrays, by row index below _memoryRows
    this._file = null;
    this.rows = 0;
  }

  /** Bytes written to the temporary file so far. */
  get spilledBytes() {
    return Math.max(0, this.rows - this._memoryRows) * this._rowBytes;
  }

  /** Appends rows (a Float32Array of whole rows); returns the index of the first. */
  append(values) {
    const first = this.rows;
    const count = values.length / this.rowValues;
    for (let i = 0; i < count; i++) {
      const row = values.subarray(i * this.rowValues, (i + 1) * this.rowValues);
      const index = first + i;
      if (index < this._memoryRows) {
        this._memory.push(row.slice());
      } else {
        const bytes = new Uint8Array(row.buffer, row.byteOffset, row.byteLength);
        fs.writeSync(this._spillFile(), bytes, 0, bytes.length, (index - this._memoryRows) * this._rowBytes);
      }
    }
    this.rows += count;
    return first;
  }

  /** The given rows, concatenated in order. */
  read(rows) {
    const out = new Float32Array(rows.length * this.rowValues);
    const bytes = new Uint8Array(out.buffer);
    rows.forEach((index, i) => {
      if (index < this._memoryRows) {
        out.set(this._memory[index], i * this.rowValues);
      } else {
        fs.readSync(this._file.fd, bytes, i * this._rowBytes, this._rowBytes, (index - this._memoryRows) * this._rowBytes);
      }
    });
    return out;
  }

  _spillFile() {
    if (!this._file) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tanuki-features-'));
      const file = path.join(dir, 'rows.f32');
      this._file = { dir, fd: fs.openSync(file, 'w+') };
    }
    return this._file.fd;
  }

  dispose() {
    this._memory = [];
    if (this._file) {
      fs.closeSync(this._file.fd);
      fs.rmSync(this._file.dir, { recursive: true, force: true });
      this._file = null;
    }
  }
}
