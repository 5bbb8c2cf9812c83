// The head ImageClassifier trains on a frozen backbone's features:
// standardisation -> Dropout -> Dense softmax. One definition serves the
// classifier itself and the cross-validation that chooses its settings
// (head_settings.js), so what is tuned is exactly what is trained.
import { disposeAll } from '../memory.js';
import { makeRandom, shuffleInPlace } from '../random.js';

export class ClassifierHead {
  constructor(tk, featureSize, classCount, { dropout = 0.2 } = {}) {
    this.tk = tk;
    this.featureSize = featureSize;
    this.classCount = classCount;
    this.dropoutRate = dropout;
    // A frozen BatchNormalization holding the features' mean and variance
    // standardises them: features from several depths differ in scale by
    // orders of magnitude, and a plain Keras layer keeps the export portable.
    this.norm = tk.layers.batchNormalization({ name: 'feature_standardization', trainable: false });
    this.dropout = tk.layers.dropout({ rate: dropout });
    this.dense = tk.layers.dense({ units: classCount, activation: 'softmax', name: 'predictions' });
    const input = tk.input({ shape: [featureSize] });
    const output = this.classify(input);
    this.model = tk.model({ inputs: input, outputs: output });
    disposeAll(input, output);
  }

  /** features -> class probabilities, through this head's layers (shared by every model built with them). */
  classify(features) {
    const normalized = this.norm.apply(features);
    const dropped = this.dropout.apply(normalized);
    try {
      return this.dense.apply(dropped);
    } finally {
      disposeAll(normalized, dropped);
    }
  }

  /** Sets the standardisation to the mean and variance of these feature rows (Float32Arrays). */
  standardize(rows) {
    const { mean, variance } = featureMoments(rows, this.featureSize);
    const tk = this.tk;
    const d = this.featureSize;
    const weights = [tk.ones([d]), tk.zeros([d]), tk.tensor(mean, [d]), tk.tensor(variance, [d])];
    this.norm.setWeights(weights);
    disposeAll(weights);
  }

  dispose() {
    this.model.optimizer?.dispose();
    this.model.loss?.dispose();
    for (const object of [this.model, this.norm, this.dropout, this.dense]) object.dispose();
  }
}

/** Per-feature mean and (population) variance of rows, summed in double precision. */
export function featureMoments(rows, size) {
  const sum = new Float64Array(size);
  const square = new Float64Array(size);
  for (const f of rows) {
    for (let j = 0; j < size; j++) {
      sum[j] += f[j];
      square[j] += f[j] * f[j];
    }
  }
  const n = Math.max(rows.length, 1);
  const mean = Float32Array.from(sum, (s) => s / n);
  const variance = Float32Array.from(square, (s, j) => Math.max(s / n - mean[j] * mean[j], 0));
  return { mean, variance };
}

/**
 * Stratified assignment of items to `folds` groups: each class is shuffled
 * (seeded) and dealt out in turn, so every group holds each class in
 * proportion. Returns a group number per item.
 */
export function stratifiedFolds(labels, folds, seed) {
  const random = makeRandom(seed);
  const group = new Array(labels.length);
  const byClass = new Map();
  labels.forEach((label, i) => (byClass.get(label) ?? byClass.set(label, []).get(label)).push(i));
  let next = 0;
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    for (const i of shuffleInPlace(byClass.get(label), random)) group[i] = next++ % folds;
  }
  return group;
}

/**
 * Stratified hold-out: after a seeded shuffle of each class (numeric
 * labels, in order), the last
 * `fraction` of it (at least one item when fraction > 0) is held out.
 * Returns {train, validation} lists of the items.
 */
export function stratifiedSplit(items, labelOf, fraction, seed) {
  const random = makeRandom(seed);
  const train = [];
  const validation = [];
  const byClass = new Map();
  for (const item of items) (byClass.get(labelOf(item)) ?? byClass.set(labelOf(item), []).get(labelOf(item))).push(item);
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = shuffleInPlace(byClass.get(label), random);
    const held = fraction > 0 ? Math.max(1, Math.round(members.length * fraction)) : 0;
    train.push(...members.slice(0, members.length - held));
    validation.push(...members.slice(members.length - held));
  }
  return { train, validation };
}

/** Keras's "balanced" class weights, n / (classes * count), or null when the classes are balanced within 1.5x. */
export function balancedClassWeights(labels, classCount) {
  const counts = new Array(classCount).fill(0);
  for (const l of labels) counts[l]++;
  const present = counts.filter((c) => c > 0);
  if (Math.max(...present) <= 1.5 * Math.min(...present)) return null;
  const weights = {};
  counts.forEach((c, k) => { if (c > 0) weights[k] = labels.length / (present.length * c); });
  return weights;
}
