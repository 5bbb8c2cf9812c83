// Datasets as sources of batches for fit(), evaluate() and predict().
//
// A dataset is anything iterated with `for await` that yields {x, y} (or
// TF.js's {xs, ys}) batches: a tk.data ImageDataset, or a user's async
// generator. An ImageDataset also knows its samples, which lets fit() cache
// the output of a frozen bottom once per sample (extractFeatures) and
// predict() keep the dataset's order whatever its shuffling.
import { ValueError } from '../errors.js';
import { ImageDataset } from '../data/image_dataset.js';
import { FeatureStore } from '../data/feature_store.js';
import { makeTensor, Tensor } from '../tensor.js';

export function isDataset(value) {
  return value != null && !(value instanceof Tensor) && !Array.isArray(value) && typeof value[Symbol.asyncIterator] === 'function';
}

// A bottom's activations near the input are the largest tensors of a
// fine-tuning run (MobileNetV2: 1.2 MB per image at 112x112x96); computing
// them a few images at a time bounds the heap whatever the batch size.
const FEATURE_CHUNK = 8;

const normalised = ({ x, y, xs, ys }) => ({ x: x ?? xs, y: y ?? ys ?? null });

/** One pass over a dataset in its own order (no epoch shuffle for an ImageDataset); the consumer disposes each batch. */
export async function* inOrder(dataset) {
  if (dataset instanceof ImageDataset) {
    yield* dataset._epoch({ shuffled: false });
    return;
  }
  for await (const batch of dataset) yield normalised(batch);
}

/** One training epoch: an ImageDataset's next shuffled order, or the dataset's own iteration. */
export async function* epochOf(dataset) {
  if (dataset instanceof ImageDataset) {
    yield* dataset._epoch({ shuffled: true });
    return;
  }
  for await (const batch of dataset) yield normalised(batch);
}

/** Checks a batch has labels for training or evaluation. */
export function requireLabels(batch, what) {
  if (!(batch.x instanceof Tensor) || !(batch.y instanceof Tensor)) {
    batch.x?.dispose?.();
    throw new ValueError(`${what} needs a dataset of {x, y} tensor batches (labelMode null gives no y)`);
  }
}

/**
 * The bottom's output for every sample of an ImageDataset, computed once:
 * {features, targets, rowOf} where rowOf maps a sample position to its row
 * in both stores (unreadable samples skipped with skipInvalid have none).
 */
export async function extractFeatures(bottom, dataset, { memoryBytes, onBatch } = {}) {
  let features = null;
  let targets = null;
  const rowOf = new Map();
  try {
    for await (const batch of dataset._epoch({ shuffled: false })) {
      try {
        requireLabels(batch, 'fit()');
        const out = bottom.predict(batch.x, { batchSize: FEATURE_CHUNK });
        try {
          features ??= new FeatureStore(out.shape.slice(1), { memoryBytes });
          targets ??= new FeatureStore(batch.y.shape.slice(1), { memoryBytes: Infinity });
          const first = features.append(out.dataSync());
          targets.append(batch.y.dataSync());
          batch.samples.forEach((p, i) => rowOf.set(p, first + i));
        } finally {
          out.dispose();
        }
      } finally {
        batch.x.dispose();
        batch.y?.dispose();
      }
      await onBatch?.();
    }
  } catch (error) {
    features?.dispose();
    targets?.dispose();
    throw error;
  }
  if (!features) throw new ValueError('the dataset has no decodable images');
  return { features, targets, rowOf };
}

/** Batches of cached rows, in the order of `positions` (sample positions), batchSize at a time. */
export function* cachedBatches(tk, { features, targets, rowOf }, positions, batchSize) {
  const rows = positions.filter((p) => rowOf.has(p)).map((p) => rowOf.get(p));
  for (let start = 0; start < rows.length; start += batchSize) {
    const chunk = rows.slice(start, start + batchSize);
    yield {
      x: makeTensor(tk, features.read(chunk), [chunk.length, ...features.rowShape]),
      y: makeTensor(tk, targets.read(chunk), [chunk.length, ...targets.rowShape]),
    };
  }
}

/** Every prediction of the model over the dataset, in the dataset's order: one tensor [count, ...outputs]. */
export async function predictDataset(model, dataset) {
  const parts = [];
  try {
    for await (const batch of inOrder(dataset)) {
      try {
        parts.push(model.predict(batch.x, { batchSize: batch.x.shape[0] }));
      } finally {
        batch.x.dispose();
        batch.y?.dispose?.();
      }
    }
    if (!parts.length) throw new ValueError('predict(): the dataset yielded no batches');
    return parts.length === 1 ? parts.pop() : model._tk.concat(parts);
  } finally {
    parts.forEach((t) => t.dispose());
  }
}
