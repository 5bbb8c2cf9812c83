// model.evaluate(): loss and metrics over a dataset in inference mode.
import { ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';

export async function evaluate(model, x, y, { batchSize = 32 } = {}) {
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
  return results;
}
