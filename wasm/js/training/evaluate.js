// model.evaluate(): loss and metrics over a dataset in inference mode.
import { ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { classificationReport } from '../transfer/classification_report.js';

/**
 * {loss, <metrics>}; with `report: true` (a classifier with softmax outputs)
 * also `report`: per-class precision and recall and the confusion matrix,
 * with classNames (default "0", "1", ...).
 */
export async function evaluate(model, x, y, { batchSize = 32, report = false, classNames } = {}) {
  model._requireCompiled('evaluation');
  if (!(x instanceof Tensor) || !(y instanceof Tensor)) throw new ValueError('evaluate() takes x and y as Tensors');
  const n = x.shape[0];
  if (y.shape[0] !== n) throw new ValueError(`x and y must have the same number of samples, got ${n} and ${y.shape[0]}`);
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new ValueError('batchSize must be a positive integer');
  const core = model._tk.core;
  core.resetMetrics(model.handle);
  const empty = core.emptyTensor();
  try {
    for (let start = 0; start < n; start += batchSize) {
      const rows = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
      const xb = x.gather(rows);
      const yb = y.gather(rows);
      try {
        core.testOnBatch(model.handle, xb.handle, yb.handle, empty);
      } finally {
        xb.dispose();
        yb.dispose();
      }
    }
  } finally {
    empty.delete();
  }
  const results = Object.fromEntries(JSON.parse(core.metricResults(model.handle)));
  core.resetMetrics(model.handle);
  if (report) results.report = reportFor(model, x, y, batchSize, classNames);
  return results;
}

function reportFor(model, x, y, batchSize, classNames) {
  const p = model.predict(x, { batchSize });
  try {
    const k = p.shape[p.shape.length - 1];
    if (p.rank !== 2 || k < 2) throw new ValueError('evaluate({report: true}) needs class probabilities [N, classes] from the model');
    const targets = y.dataSync();
    const n = p.shape[0];
    // Integer labels [N] / [N, 1], or one-hot rows [N, k].
    const labels = targets.length === n ? Array.from(targets, Math.round) : Array.from({ length: n }, (_, i) => {
      let best = 0;
      for (let j = 1; j < k; j++) if (targets[i * k + j] > targets[i * k + best]) best = j;
      return best;
    });
    return classificationReport(p.dataSync(), labels, classNames ?? Array.from({ length: k }, (_, i) => String(i)));
  } finally {
    p.dispose();
  }
}
