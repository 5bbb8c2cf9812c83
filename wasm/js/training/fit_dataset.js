// model.fit(dataset, args) / model.fitDataset(dataset, args): training from a
// dataset of batches (Keras's fit(train_ds, validation_data=val_ds)).
//
// The dataset sets the batches: their size, order and per-epoch shuffling
// (an ImageDataset shuffles as fit(x, y, {seed}) would with the dataset's
// seed). When the model's bottom is frozen and draws no random numbers, an
// ImageDataset's images go through it once: their activations are kept in a
// FeatureStore (memory up to featureMemoryBytes, then a temporary file in
// Node) and every epoch trains the top on them. Memory is then one decoded
// batch plus the store's budget, not the dataset's size. The dataset keeps
// them (until dispose()) under a key of the bottom's boundary and weights, so
// that another fit() with the same frozen bottom computes nothing again.
import { ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { ImageDataset } from '../data/image_dataset.js';
import { DEFAULT_FEATURE_MEMORY_BYTES } from '../data/feature_store.js';
import { cachedBatches, epochOf, extractFeatures, inOrder, isDataset, requireLabels } from './dataset_batches.js';
import { evaluate, evaluateBatches } from './evaluate.js';
import { positiveInteger, runEpochs, splitAtBoundary } from './fit.js';

const DATASET_OPTIONS = new Set([
  'epochs', 'validationData', 'initialEpoch', 'classWeight', 'callbacks', 'signal', 'verbose', 'cacheFrozenPrefix', 'featureMemoryBytes',
]);

async function* labelled(batches) {
  for await (const batch of batches) {
    requireLabels(batch, 'fit()');
    yield batch;
  }
}

export async function fitDataset(model, dataset, args = {}) {
  const { epochs = 1, validationData, cacheFrozenPrefix = true, featureMemoryBytes = DEFAULT_FEATURE_MEMORY_BYTES } = args;
  model._requireCompiled('training');
  if (!isDataset(dataset)) throw new ValueError('fitDataset() takes a dataset: a tk.data dataset or an async iterable of {x, y} batches');
  if (args instanceof Tensor) throw new ValueError('fit(dataset, args): the dataset holds the labels; pass no y');
  for (const name of Object.keys(args)) {
    if (DATASET_OPTIONS.has(name)) continue;
    const why = ['batchSize', 'shuffle', 'seed'].includes(name) ? 'the dataset sets its batches' : name === 'validationSplit' ? 'pass validationData' : 'unknown option';
    throw new ValueError(`fit(dataset): ${name} does not apply to a dataset (${why})`);
  }
  positiveInteger(epochs, 'epochs');
  if (!(typeof featureMemoryBytes === 'number' && featureMemoryBytes >= 0)) {
    throw new ValueError(`featureMemoryBytes must be a number of bytes >= 0, got ${featureMemoryBytes}`);
  }
  const validationIsDataset = isDataset(validationData);
  if (validationData && !validationIsDataset && !Array.isArray(validationData)) {
    throw new ValueError('validationData must be a dataset or [x, y] tensors');
  }
  const tk = model._tk;
  const batchSize = dataset.batchSize ?? null;
  const samples = dataset.count ?? null;
  const owned = [];
  try {
    const split = cacheFrozenPrefix && dataset instanceof ImageDataset ? splitAtBoundary(model) : null;
    if (!split) {
      const validate = validationData && (() =>
        validationIsDataset ? evaluate(model, validationData) : evaluate(model, validationData[0], validationData[1], { batchSize: batchSize ?? 32 }));
      const steps = samples === null ? null : Math.ceil(samples / batchSize);
      return await runEpochs(model, { trainer: model, samples, steps, batchSize, epochBatches: () => labelled(epochOf(dataset)), validate }, args);
    }
    const [bottom, top] = split;
    owned.push({ dispose: () => [bottom, top].forEach((m) => m.dispose()) });
    const key = bottomKey(top.boundary, bottom);
    const featuresOf = (data) => data._featuresFor(key, () => extractFeatures(bottom, data, { memoryBytes: featureMemoryBytes }));
    const train = await featuresOf(dataset);
    let validate = null;
    if (validationData instanceof ImageDataset) {
      const cached = await featuresOf(validationData);
      const positions = validationData._samples.map((_, i) => i);
      validate = () => evaluateBatches(top, cachedBatches(tk, cached, positions, validationData.batchSize));
    } else if (validationIsDataset) {
      // A dataset of unknown samples: its batches go through the bottom each time.
      validate = () => evaluateBatches(top, bottomOutputs(bottom, inOrder(validationData)));
    } else if (validationData) {
      const vx = bottom.predict(validationData[0], { batchSize });
      owned.push(vx);
      validate = () => evaluate(top, vx, validationData[1], { batchSize });
    }
    const epochBatches = () => cachedBatches(tk, train, dataset._nextOrder(), batchSize);
    return await runEpochs(model, { trainer: top, samples: train.features.rows, steps: Math.ceil(train.features.rows / batchSize), batchSize, epochBatches, validate }, args);
  } finally {
    owned.forEach((t) => t.dispose());
  }
}

/** The boundary and a 64-bit hash (two FNV-1a lanes) of every weight below it: equal keys, equal activations. */
function bottomKey(boundary, bottom) {
  let a = 0x811c9dc5;
  let b = 0x01234567;
  for (const weight of bottom.getWeights()) {
    const bits = new Uint32Array(weight.dataSync().buffer);
    weight.dispose();
    for (let i = 0; i < bits.length; i++) {
      a = Math.imul(a ^ bits[i], 0x01000193) >>> 0;
      b = Math.imul(b ^ bits[i] ^ (i & 0xffff), 0x5bd1e995) >>> 0;
    }
    a = Math.imul(a ^ bits.length, 0x01000193) >>> 0;
  }
  return `${boundary}:${a.toString(16)}${b.toString(16)}`;
}

async function* bottomOutputs(bottom, batches) {
  for await (const batch of batches) {
    requireLabels(batch, 'fit()');
    try {
      yield { x: bottom.predict(batch.x, { batchSize: batch.x.shape[0] }), y: batch.y };
    } finally {
      batch.x.dispose();
    }
  }
}
