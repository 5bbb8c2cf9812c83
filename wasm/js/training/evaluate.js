// model.evaluate(): loss and metrics over tensors or a dataset in inference mode.
import { ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { classificationReport } from '../transfer/classification_report.js';
import { inOrder, isDataset, requireLabels } from './dataset_batches.js';

/** Batches of (x, y) tensors in order, batchSize rows each. */
function* tensorBatches(x, y, batchSize) {
  const n = x.shape[0];
  for (let start = 0; start < n; start += batchSize) {
    const rows = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    yield { x: x.gather(rows), y: y.gather(rows) };
  }
}

/**
 * {loss, <metrics>}; with `report: true` (a classifier with softmax outputs)
 * also `report`: per-class precision and recall and the confusion matrix,
 * with classNames (default "0", "1", ..., or a dataset's classNames).
 * x may be a dataset of {x, y} batches (then y is left out, as in Keras).
 */
export async function evaluate(model, x, y, args = {}) {
  model._requireCompiled('evaluation');
  if (isDataset(x)) {
    const options = y ?? {};
    return evaluateBatches(model, inOrder(x), { ...options, classNames: options.classNames ?? x.classNames });
  }
  const { batchSize = 32 } = args;
  if (!(x instanceof Tensor) || !(y instanceof Tensor)) throw new ValueError('evaluate() takes x and y as Tensors, or a dataset');
  const n = x.shape[0];
  if (y.shape[0] !== n) throw new ValueError(`x and y must have the same number of samples, got ${n} and ${y.shape[0]}`);
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new ValueError('batchSize must be a positive integer');
  return evaluateBatches(model, tensorBatches(x, y, batchSize), args);
}

/** evaluate() over {x, y} batches (sync or async iterable), disposing each. */
export async function evaluateBatches(model, batches, { report = false, classNames } = {}) {
  const core = model._tk.core;
  core.resetMetrics(model.handle);
  const empty = core.emptyTensor();
  const collected = report ? { probabilities: [], targets: [] } : null;
  try {
    for await (const batch of batches) {
      try {
        requireLabels(batch, 'evaluate()');
        core.testOnBatch(model.handle, batch.x.handle, batch.y.handle, empty);
        if (collected) {
          const p = model.predict(batch.x, { batchSize: batch.x.shape[0] });
          collected.probabilities.push(p.dataSync());
          collected.shape = p.shape;
          p.dispose();
          collected.targets.push(batch.y.dataSync());
        }
      } finally {
        batch.x.dispose();
        batch.y?.dispose();
      }
    }
  } finally {
    empty.delete();
  }
  const results = Object.fromEntries(JSON.parse(core.metricResults(model.handle)));
  core.resetMetrics(model.handle);
  if (collected) results.report = reportFrom(collected, classNames);
  return results;
}

const joined = (arrays) => {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
};

function reportFrom({ probabilities, targets, shape }, classNames) {
  const k = shape[shape.length - 1];
  if (shape.length !== 2 || k < 2) throw new ValueError('evaluate({report: true}) needs class probabilities [N, classes] from the model');
  const p = joined(probabilities);
  const t = joined(targets);
  const n = p.length / k;
  // Integer labels [N] / [N, 1], or one-hot rows [N, k].
  const labels = t.length === n ? Array.from(t, Math.round) : Array.from({ length: n }, (_, i) => {
    let best = 0;
    for (let j = 1; j < k; j++) if (t[i * k + j] > t[i * k + best]) best = j;
    return best;
  });
  return classificationReport(p, labels, classNames ?? Array.from({ length: k }, (_, i) => String(i)));
}
