// ImageDataset: labelled images, held decoded in memory when they fit, or
// streamed, decoded one batch at a time.
//
// A streamed dataset keeps only its file list; each batch is read and decoded
// when it is needed, while the files of the next `prefetch` batches are read
// (asynchronously: reads overlap training, decoding runs in the core when the
// batch is taken). Its memory is one decoded batch plus the compressed bytes
// of the prefetched ones, whatever the number of images. An in-memory dataset
// has `x` and `y` as today's tensors; a streamed one makes them with
// `await toTensors()` or `cache()`.
//
// Iterating (`for await (const {x, y} of ds)`) is one epoch; with `shuffle`
// every epoch has a new order, drawn from the seed exactly as fit() shuffles
// tensors, so that fit(dataset) and fit(x, y, {seed}) see the same batches.
import { FormatError, StateError, ValueError } from '../errors.js';
import { makeRandom, shuffleInPlace } from '../random.js';
import { makeTensor, Tensor } from '../tensor.js';
import { writeInto } from './image.js';

const FLOAT_BYTES = 4;
const DEFAULT_PREFETCH = 2;
const READ_CONCURRENCY = 32;

export function labelTensor(tk, labels, classCount, labelMode) {
  const n = labels.length;
  if (labelMode === 'categorical') {
    const oneHot = new Float32Array(n * classCount);
    labels.forEach((label, i) => (oneHot[i * classCount + label] = 1));
    return makeTensor(tk, oneHot, [n, classCount]);
  }
  return makeTensor(tk, Float32Array.from(labels), labelMode === 'binary' ? [n, 1] : [n]);
}

/** Reads a sample's bytes; an unreadable file becomes {error} so that skipInvalid can drop it. */
async function readSample(sample) {
  try {
    return { resolved: { ...(await sample.read()), name: sample.name } };
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    return { error };
  }
}

/** readSample() for many samples, a few at a time: thousands of open files at once would run out of descriptors. */
export async function readSamples(samples) {
  const reads = [];
  for (let start = 0; start < samples.length; start += READ_CONCURRENCY) {
    reads.push(...(await Promise.all(samples.slice(start, start + READ_CONCURRENCY).map(readSample))));
  }
  return reads;
}

/**
 * Decodes read samples into one [n, h, w, 3] tensor, rows in order of
 * success so that skipped files leave no gaps. Returns {x, kept, failed}:
 * kept and failed are positions in `reads`; failed ones carry their error;
 * x is null when none decoded. onEach(i, failedSoFar) follows every image.
 */
export function decodeRows(tk, reads, options, onEach) {
  const [h, w] = options.imageSize;
  let x = new Tensor(tk, tk.core.makeTensor(JSON.stringify([reads.length, h, w, 3])));
  const kept = [];
  const failed = [];
  try {
    reads.forEach((read, i) => {
      try {
        if (read.error) throw read.error;
        writeInto(tk, read.resolved, options.decodeJson, x, kept.length);
        kept.push(i);
      } catch (error) {
        if (!(error instanceof FormatError)) throw error;
        if (!options.skipInvalid) throw new FormatError(`${error.message} (pass skipInvalid: true to skip unreadable images)`);
        failed.push({ index: i, error: error.message });
      }
      onEach?.(i, failed.length);
    });
    if (failed.length && kept.length) {
      const compact = x.gather(kept.map((_, i) => i));
      x.dispose();
      x = compact;
    } else if (!kept.length) {
      x.dispose();
      x = null;
    }
  } catch (error) {
    x?.dispose();
    throw error;
  }
  return { x, kept, failed };
}

export class ImageDataset {
  /**
   * samples: [{name, label, read()}] in the dataset's order; x and y: their
   * decoded tensors when held in memory (owned by the dataset), else null.
   */
  constructor(tk, { classNames, samples, options, x = null, y = null, skipped = [] }) {
    this._tk = tk;
    this._samples = samples;
    this._options = options;
    this._x = x;
    this._y = y;
    this._bad = new Set();  // sample positions found unreadable while streaming
    this._order = samples.map((_, i) => i);
    this._random = makeRandom(options.seed);
    this._prefetch = DEFAULT_PREFETCH;
    this._features = null;  // {key, value}: fit()'s cached bottom activations of these images
    this.classNames = classNames;
    this.skipped = skipped;
    this.batchSize = options.batchSize;
    this.imageSize = options.imageSize;
  }

  /** True when the decoded images are in memory (x, y); false when they stream from their files. */
  get inMemory() {
    return this._x !== null;
  }

  get count() {
    return this._samples.length - this._bad.size;
  }

  /** Names (paths in Node) of the images, in the dataset's order, without the skipped ones. */
  get files() {
    return this._live().map((s) => s.name);
  }

  get labels() {
    return this._live().map((s) => s.label);
  }

  get x() {
    return this._inMemoryOnly('x')._x;
  }

  get y() {
    return this._inMemoryOnly('y')._y;
  }

  /** Decoded bytes of the whole dataset: what x would take in memory. */
  get decodedBytes() {
    const [h, w] = this.imageSize;
    return this.count * h * w * 3 * FLOAT_BYTES;
  }

  _live() {
    return this._samples.filter((_, i) => !this._bad.has(i));
  }

  _livePositions() {
    return this._samples.map((_, i) => i).filter((p) => !this._bad.has(p));
  }

  _inMemoryOnly(member) {
    if (this._x === null) {
      throw new StateError(
        `${member} of a streamed dataset (${this.count} images, ${Math.round(this.decodedBytes / 2 ** 20)} MB decoded) is not in memory: ` +
          'iterate it (for await), pass it to fit()/evaluate()/predict(), or make the tensors with await toTensors()',
      );
    }
    return this;
  }

  /** {x, y} tensors of batchSize images each, in order (in-memory datasets); dispose them when done. */
  *batches() {
    this._inMemoryOnly('batches()');
    for (let start = 0; start < this.count; start += this.batchSize) {
      const rows = Array.from({ length: Math.min(this.batchSize, this.count - start) }, (_, i) => start + i);
      yield { x: this._x.gather(rows), y: this._y?.gather(rows) ?? null };
    }
  }

  /** Sets how many batches ahead files are read while a batch is used (default 2); returns the dataset. */
  prefetch(depth) {
    if (!Number.isInteger(depth) || depth < 0) throw new ValueError(`prefetch depth must be a non-negative integer, got ${depth}`);
    this._prefetch = depth;
    return this;
  }

  /** The next epoch's order of sample positions: reshuffled each call when the dataset shuffles. */
  _nextOrder() {
    if (this._options.shuffle) shuffleInPlace(this._order, this._random);
    return this._order;
  }

  /**
   * One pass as {x, y, samples} batches (samples: the positions decoded into
   * x's rows), in the dataset's order or the next epoch's shuffled one. The
   * consumer disposes x and y.
   */
  async *_epoch({ shuffled }) {
    const order = shuffled ? this._nextOrder().slice() : this._samples.map((_, i) => i);
    const groups = [];
    for (let start = 0; start < order.length; start += this.batchSize) groups.push(order.slice(start, start + this.batchSize));
    if (this._x) {
      // Rows of x are the live samples in order; map positions to rows.
      const rowOf = new Map(this._livePositions().map((p, row) => [p, row]));
      for (const group of groups) {
        const rows = group.filter((p) => rowOf.has(p)).map((p) => rowOf.get(p));
        if (rows.length) yield { x: this._x.gather(rows), y: this._y?.gather(rows) ?? null, samples: group.filter((p) => rowOf.has(p)) };
      }
      return;
    }
    const read = (group) => {
      const reads = Promise.all(group.filter((p) => !this._bad.has(p)).map(async (p) => ({ p, ...(await readSample(this._samples[p])) })));
      reads.catch(() => {});  // awaited below; an epoch left early must not leave an unhandled rejection
      return reads;
    };
    const pending = groups.slice(0, this._prefetch + 1).map(read);
    for (let g = 0; g < groups.length; g++) {
      const reads = await pending.shift();
      if (g + this._prefetch + 1 < groups.length) pending.push(read(groups[g + this._prefetch + 1]));
      const batch = this._decode(reads);
      if (batch) yield batch;
    }
  }

  _decode(reads) {
    if (!reads.length) return null;
    const { x, kept, failed } = decodeRows(this._tk, reads, this._options);
    for (const { index, error } of failed) {
      const p = reads[index].p;
      this._bad.add(p);
      this.skipped.push({ file: this._samples[p].name, error });
    }
    if (!x) return null;
    const samples = kept.map((i) => reads[i].p);
    const { labelMode } = this._options;
    const y = labelMode === null ? null : labelTensor(this._tk, samples.map((p) => this._samples[p].label), this.classNames.length, labelMode);
    return { x, y, samples };
  }

  /** One epoch of {x, y} batches (shuffled per epoch when the dataset shuffles); dispose each batch's tensors. */
  async *[Symbol.asyncIterator]() {
    for await (const { x, y } of this._epoch({ shuffled: this._options.shuffle })) yield { x, y };
  }

  /** The first n images as a dataset of their own (streamed or in memory like this one). */
  take(n) {
    return this._slice(0, n, 'take');
  }

  /** All but the first n images. */
  skip(n) {
    return this._slice(n, Infinity, 'skip');
  }

  _slice(start, end, what) {
    const n = what === 'take' ? end : start;
    if (!Number.isInteger(n) || n < 0) throw new ValueError(`${what}() takes a non-negative integer, got ${n}`);
    const live = this._live();
    const samples = live.slice(start, end);
    const part = new ImageDataset(this._tk, { classNames: this.classNames, samples, options: this._options });
    if (this._x && samples.length) {
      const rows = samples.map((_, i) => start + i);
      part._x = this._x.gather(rows);
      part._y = this._y?.gather(rows) ?? null;
    }
    part._prefetch = this._prefetch;
    return part;
  }

  /**
   * Decodes every image into memory now (x, y), so that later epochs read no
   * files. Refuses when the decoded images would take more than maxBytes
   * (default 1 GiB): stream those, or cache a take(n) of them.
   */
  async cache({ maxBytes = 2 ** 30 } = {}) {
    if (this.decodedBytes > maxBytes) {
      throw new ValueError(
        `cache(): ${this.count} images take ${Math.round(this.decodedBytes / 2 ** 20)} MB decoded, over maxBytes ` +
          `(${Math.round(maxBytes / 2 ** 20)} MB); leave the dataset streamed, or cache a take(n) of it`,
      );
    }
    await this.toTensors();
    return this;
  }

  /**
   * {x, y}: every image decoded into memory, held by the dataset from then on
   * (dispose() frees them). Memory: decodedBytes.
   */
  async toTensors() {
    if (!this._x) {
      const positions = this._livePositions();
      const reads = (await readSamples(positions.map((p) => this._samples[p]))).map((read, i) => ({ p: positions[i], ...read }));
      const batch = this._decode(reads);
      if (!batch) throw new FormatError(`none of the ${reads.length} images could be decoded`);
      this._x = batch.x;
      this._y = batch.y;
    }
    return { x: this._x, y: this._y };
  }

  /**
   * Activations of these images kept by fit() under a key naming the frozen
   * bottom (its boundary and weights): computed by compute() for a new key,
   * reused for the same one, freed with the dataset.
   */
  async _featuresFor(key, compute) {
    if (this._features?.key !== key) {
      this._disposeFeatures();
      this._features = { key, value: await compute() };
    }
    return this._features.value;
  }

  _disposeFeatures() {
    this._features?.value.features.dispose();
    this._features?.value.targets.dispose();
    this._features = null;
  }

  dispose() {
    this._disposeFeatures();
    this._x?.dispose();
    this._y?.dispose();
    this._x = null;
    this._y = null;
  }
}
