// Choosing the head's training settings when the user leaves them unset.
//
// On cached features one epoch of the head takes milliseconds, so the
// settings can be chosen the way a careful practitioner would: k-fold
// cross-validation (stratified, seeded) over a small grid of learning rates
// (Dropout 0.5 before the Dense layer), each fold trained for a fixed number
// of epochs while its validation accuracy and loss are recorded after every
// epoch. The mean curves over the folds, smoothed over neighbouring epochs,
// give each candidate its best epoch count (early stopping, decided once for
// all folds), and the candidate with the best smoothed mean accuracy at its
// best epoch wins; the mean loss breaks ties, which on folds of a few dozen images
// are many. Accuracy first, not the loss: a backbone's features of a few
// hundred images are linearly separable, and a linear head keeps improving
// long after its cross-entropy has turned up (a few confident mistakes
// outweigh everything else), so choosing by the loss stopped it early,
// underfitted: 60 photos per class scored 7 points lower that way.
// Smoothed, because a fold of 40 images moves its accuracy in steps of 2.5
// points: the best single epoch of 200 was often a lucky spike (one epoch
// chosen for 60 photos per class, 74.5 % held out where 100 epochs gave
// 79 %). Augmented views, where offered, are always used rather than chosen:
// averaged over splits they helped or made no difference, and choosing with
// or without them only added another chance for a lucky fold to decide
// (README, "Settings chosen for you").
import { ValueError } from '../errors.js';
import { ClassifierHead, stratifiedFolds } from './classifier_head.js';

/** What the head trains with when nothing is chosen automatically or by the user. */
export const HEAD_DEFAULTS = Object.freeze({ epochs: 20, learningRate: 1e-3, dropout: 0.2, views: 1 });

const LEARNING_RATES = [3e-4, 1e-3, 3e-3];
// One Dropout rate: offered 0.2 as well, the cross-validation took it on
// lucky folds and lost on held-out photos (60 per class, four samples: 0.5
// alone 2 points better on average, never 5 points worse as 0.2 was once).
const DROPOUTS = [0.5];
const FOLDS = 3;
// Small sets want long training (a few batches per epoch); on larger ones
// the step budget below decides.
const MAX_EPOCHS = 200;
// All trials together take at most about this many training steps (batches):
// with many small batches (batch size 1, say) the trials run fewer epochs,
// never fewer than MIN_TRIAL_EPOCHS. It keeps the choice to seconds.
const MAX_TRIAL_STEPS = 20000;
const MIN_TRIAL_EPOCHS = 3;
// The mean curves are averaged over this many epochs on either side of each
// epoch before the best is picked (fewer in short trials).
const SMOOTHING = 5;
// Fewer images than this per class leave folds too small to tell settings apart.
const MIN_PER_CLASS = 6;
// Larger sets are cross-validated on a stratified sample of this many
// examples: a few hundred per class tell the settings apart as well, at a
// fraction of the time (the head's batches cost the same however many there are).
const MAX_EXAMPLES = 800;

/**
 * labels: class index per example; rowOf(i, view): that example's cached
 * features; views: how many views (0 = the plain image) each example has.
 * fixed: the settings the user chose ({epochs, learningRate, dropout, views}),
 * which are kept as they are. Returns {epochs, learningRate, dropout, views,
 * chosen: [names the cross-validation chose], crossValidation: {folds, loss, accuracy,
 * candidates}, outOfFold} or, when there is too little data to
 * cross-validate, the defaults for whatever is not fixed, with `reason`.
 * outOfFold: each example's class probabilities ([examples * classes]) from
 * the winning setting's head that did not see it (NaN for examples outside
 * the sample of a large set): what the model thinks of an image it was not
 * fitted to, for spotting wrong labels.
 */
export async function chooseHeadSettings(tk, { labels, rowOf, views, featureSize, classCount, fixed = {}, batchSize = 32, seed = 1, classWeight, signal, onProgress }) {
  const unset = ['epochs', 'learningRate', 'dropout', 'views'].filter((k) => fixed[k] === undefined);
  const fallback = { ...HEAD_DEFAULTS, ...Object.fromEntries(Object.entries(fixed).filter(([, v]) => v !== undefined)) };
  if (!unset.length) return { ...fallback, chosen: [] };
  const counts = new Array(classCount).fill(0);
  for (const l of labels) counts[l]++;
  const smallest = Math.min(...counts.filter((c) => c > 0));
  if (smallest < MIN_PER_CLASS) {
    return { ...fallback, chosen: [], reason: `too few images to cross-validate (a class has ${smallest}; ${MIN_PER_CLASS} needed)` };
  }

  const candidates = [];
  for (const learningRate of fixed.learningRate !== undefined ? [fixed.learningRate] : LEARNING_RATES) {
    for (const dropout of fixed.dropout !== undefined ? [fixed.dropout] : DROPOUTS) {
      candidates.push({ learningRate, dropout, views: Math.min(fixed.views ?? views, views) });
    }
  }
  // Dealt into FOLDS * parts stratified groups, of which the first FOLDS are
  // the folds: a stratified sample of at most MAX_EXAMPLES.
  const parts = Math.ceil(labels.length / MAX_EXAMPLES);
  const group = stratifiedFolds(labels, FOLDS * parts, seed);
  // Trials run MAX_EPOCHS (or the user's epochs, if fewer), within the step budget.
  const foldRows = (FOLDS - 1) * group.filter((g) => g < FOLDS).length / FOLDS;
  const stepsPerEpoch = candidates.reduce((s, c) => s + Math.ceil((foldRows * c.views) / batchSize), 0) * FOLDS;
  const budgetEpochs = Math.max(MIN_TRIAL_EPOCHS, Math.floor(MAX_TRIAL_STEPS / stepsPerEpoch));
  const maxEpochs = Math.min(fixed.epochs ?? MAX_EPOCHS, MAX_EPOCHS, budgetEpochs);
  const total = candidates.length * FOLDS;
  let done = 0;
  const curvesOf = new Map();
  const atEpoch = new Map();  // candidate -> the trial epoch (0-based) it was judged at
  for (const candidate of candidates) {
    const curves = [];
    curvesOf.set(candidate, curves);
    for (let fold = 0; fold < FOLDS; fold++) {
      if (signal?.aborted) throw new ValueError('stopped while choosing the training settings');
      curves.push(await foldCurve(tk, { labels, rowOf, group, fold, featureSize, classCount, candidate, epochs: maxEpochs, batchSize, seed, classWeight }));
      onProgress?.({ phase: 'settings', done: ++done, total });
    }
    // The mean curves' best epoch: the epoch count, and the candidate's score.
    const { best, score } = smoothedBestEpoch(curves);
    // Given epochs are kept; the trials then judge the rest at their last epoch.
    const at = fixed.epochs !== undefined ? maxEpochs - 1 : best;
    candidate.epochs = fixed.epochs ?? best + 1;
    Object.assign(candidate, score(at));
    atEpoch.set(candidate, at);
  }
  const winner = candidates.reduce((a, b) => (better(b, a) ? b : a));
  const outOfFold = new Float32Array(labels.length * classCount).fill(NaN);  // NaN: not in the sample
  for (const curve of curvesOf.get(winner)) {
    const p = curve.predictions[atEpoch.get(winner)];
    curve.rows.forEach((example, r) => outOfFold.set(p.subarray(r * classCount, (r + 1) * classCount), example * classCount));
  }
  return {
    epochs: winner.epochs,
    learningRate: winner.learningRate,
    dropout: winner.dropout,
    views: winner.views,
    // Dropout and views are set, not chosen: the trials all use the same.
    chosen: unset.filter((k) => k === 'epochs' || k === 'learningRate'),
    crossValidation: { folds: FOLDS, trialEpochs: maxEpochs, loss: winner.loss, accuracy: winner.accuracy, candidates },
    outOfFold,
  };
}

/**
 * Folds' curves ([{accuracy: [per epoch], loss: [per epoch]}]) -> the epoch
 * (0-based) where their mean, averaged over SMOOTHING epochs on either side,
 * scores best (better()), and score(e): that smoothed {accuracy, loss}. Only
 * epochs whose whole window lies within the curves are judged: a window cut
 * short at the first epochs is as noisy as no window.
 */
export function smoothedBestEpoch(curves) {
  const epochs = curves[0].accuracy.length;
  // Short trials get a narrower window: at most a quarter of them on either side.
  const half = Math.min(SMOOTHING, Math.floor((epochs - 1) / 4));
  const mean = (key, e) => curves.reduce((s, c) => s + c[key][e], 0) / curves.length;
  const smoothed = (key, e) => {
    const [first, last] = [Math.max(0, e - half), Math.min(epochs - 1, e + half)];
    let sum = 0;
    for (let k = first; k <= last; k++) sum += mean(key, k);
    return sum / (last - first + 1);
  };
  const score = (e) => ({ accuracy: smoothed('accuracy', e), loss: smoothed('loss', e) });
  const [from, to] = [half, epochs - 1 - half];
  let best = from;
  for (let e = from + 1; e <= to; e++) if (better(score(e), score(best))) best = e;
  return { best, score };
}

/** The higher mean accuracy; between equal accuracies (within rounding), the lower loss. */
function better(a, b) {
  const SAME = 1e-9;
  if (Math.abs(a.accuracy - b.accuracy) > SAME) return a.accuracy > b.accuracy;
  return a.loss < b.loss;
}

/**
 * Trains a fresh head on all folds but one and returns, after each epoch, its
 * validation loss, accuracy and class probabilities (rows: the examples held out).
 */
async function foldCurve(tk, { labels, rowOf, group, fold, featureSize, classCount, candidate, epochs, batchSize, seed, classWeight }) {
  const trainRows = [];
  const trainLabels = [];
  const valRows = [];
  const valLabels = [];
  const curve = { loss: [], accuracy: [], predictions: [], rows: [] };
  labels.forEach((label, i) => {
    if (group[i] >= FOLDS) return;  // outside the sample
    if (group[i] === fold) {
      curve.rows.push(i);
      valRows.push(rowOf(i, 0));
      valLabels.push(label);
      return;
    }
    for (let v = 0; v < candidate.views; v++) {
      trainRows.push(rowOf(i, v));
      trainLabels.push(label);
    }
  });
  const head = new ClassifierHead(tk, featureSize, classCount, { dropout: candidate.dropout });
  const tensors = [pack(tk, trainRows, trainLabels, featureSize), pack(tk, valRows, valLabels, featureSize)];
  try {
    head.standardize(trainRows);
    head.model.compile({ optimizer: tk.train.adam(candidate.learningRate), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const [[x, y], [valX]] = tensors;
    // One prediction per epoch gives the loss, the accuracy and the probabilities.
    const record = {
      onEpochEnd: () => {
        const p = head.model.predict(valX);
        const probabilities = p.dataSync().slice();
        p.dispose();
        const { loss, accuracy } = scores(probabilities, valLabels, classCount);
        curve.loss.push(loss);
        curve.accuracy.push(accuracy);
        curve.predictions.push(probabilities);
      },
    };
    await head.model.fit(x, y, { epochs, batchSize, shuffle: true, seed: seed + fold, classWeight, callbacks: [record] });
  } finally {
    tensors.flat().forEach((t) => t.dispose());
    head.dispose();
  }
  return curve;
}

/** Mean sparse categorical cross-entropy (probabilities clipped as Keras does) and accuracy. */
function scores(probabilities, labels, classCount) {
  const EPSILON = 1e-7;
  let loss = 0;
  let right = 0;
  labels.forEach((label, i) => {
    const row = probabilities.subarray(i * classCount, (i + 1) * classCount);
    loss -= Math.log(Math.min(Math.max(row[label], EPSILON), 1 - EPSILON));
    let best = 0;
    for (let j = 1; j < classCount; j++) if (row[j] > row[best]) best = j;
    if (best === label) right++;
  });
  return { loss: loss / labels.length, accuracy: right / labels.length };
}

function pack(tk, rows, labels, size) {
  const x = new Float32Array(rows.length * size);
  rows.forEach((r, i) => x.set(r, i * size));
  return [tk.tensor(x, [rows.length, size]), tk.tensor(Float32Array.from(labels), [labels.length])];
}
