// model.fit(): the epoch and batch loop, in JavaScript so that it can await
// between batches (the page stays responsive, callbacks may be async) and
// stop on request (model.stopTraining, an AbortSignal).
//
// Each batch is one call into the core (trainOnBatch); the core keeps the
// running loss and metrics, as Keras does, so epoch logs are over all samples.
// The data are tensors (x, y) or a dataset (fit_dataset.js); either way the
// loop below sees a plan: the model to train, each epoch's batches and the
// validation to run after each epoch.
import { TrainingDivergedError, ValueError } from '../errors.js';
import { makeRandom, shuffleInPlace } from '../random.js';
import { Tensor } from '../tensor.js';
import { dispatch, History } from './callbacks.js';
import { evaluate } from './evaluate.js';

const YIELD_EVERY_MS = 40;

function checkData(x, y) {
  if (!(x instanceof Tensor) || !(y instanceof Tensor)) throw new ValueError('fit() takes x and y as Tensors');
  const n = x.shape[0];
  if (x.rank < 1 || y.rank < 1 || y.shape[0] !== n) {
    throw new ValueError(`x and y must have the same number of samples, got x [${x.shape}] and y [${y.shape}]`);
  }
  return n;
}

/**
 * [bottom, top] below the deepest static layer (core:
 * models/frozen_prefix.h), the top compiled like the model (same optimizer,
 * so its state carries on) and marked with its boundary; null when nothing
 * below the output is static.
 */
export function splitAtBoundary(model) {
  const tk = model._tk;
  const boundary = tk.core.cacheableBoundary(model.handle);
  if (!boundary) return null;
  const [bottom, top] = model.splitAt(boundary);
  tk.core.compileModel(top.handle, model.optimizer.handle, model.loss.handle, JSON.stringify(model.metricsNames.slice(1)));
  top.boundary = boundary;
  return [bottom, top];
}

export function positiveInteger(value, name) {
  if (!Number.isInteger(value) || value <= 0) throw new ValueError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** Per-sample weights from class weights and the targets' class of each row. */
function sampleWeightsFor(tk, yBatch, classWeight) {
  const shape = yBatch.shape;
  const values = yBatch.dataSync();
  const classes = shape.length > 1 ? shape[shape.length - 1] : 1;
  const n = shape[0];
  const weights = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let label;
    if (classes === 1) {
      label = Math.round(values[i]);
    } else {
      let best = 0;
      for (let j = 1; j < classes; j++) if (values[i * classes + j] > values[i * classes + best]) best = j;
      label = best;
    }
    weights[i] = classWeight[label] ?? 1;
  }
  return tk.tensor(weights, [n]);
}

/**
 * Computes the static bottom (splitAtBoundary) once for x (and the
 * validation x). Returns the top and the cached inputs; null when nothing
 * below the output is static.
 */
function cacheBelowBoundary(model, x, validation, batchSize) {
  const split = splitAtBoundary(model);
  if (!split) return null;
  const [bottom, top] = split;
  const xs = bottom.predict(x, { batchSize });
  const owned = [xs, bottom, top];
  let cachedValidation = validation;
  if (validation) {
    cachedValidation = [bottom.predict(validation[0], { batchSize }), validation[1]];
    owned.push(cachedValidation[0]);
  }
  return { trainer: top, xs, validation: cachedValidation, owned };
}

export async function fit(model, x, y, args = {}) {
  const {
    epochs = 1,
    batchSize = 32,
    shuffle = true,
    validationData,
    validationSplit = 0,
    initialEpoch = 0,
    seed,
    cacheFrozenPrefix = true,
  } = args;
  const tk = model._tk;
  model._requireCompiled('training');
  const total = checkData(x, y);
  positiveInteger(epochs, 'epochs');
  positiveInteger(batchSize, 'batchSize');
  if (!(validationSplit >= 0 && validationSplit < 1)) throw new ValueError('validationSplit must be in [0, 1)');
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new ValueError('initialEpoch must be an integer >= 0');

  // Keras takes the validation split from the end, before shuffling.
  let trainCount = total;
  let validation = null;
  const owned = [];
  if (validationData) {
    const [vx, vy] = validationData;
    checkData(vx, vy);
    validation = [vx, vy];
  } else if (validationSplit > 0) {
    trainCount = Math.floor(total * (1 - validationSplit));
    if (trainCount === 0 || trainCount === total) throw new ValueError('validationSplit leaves no training or no validation samples');
    const rest = Array.from({ length: total - trainCount }, (_, i) => trainCount + i);
    validation = [x.gather(rest), y.gather(rest)];
    owned.push(...validation);
  }

  // Cached features at the frozen boundary: the part below the deepest layer
  // that training cannot change runs once per sample, not once per epoch.
  let trainer = model;
  let xs = x;
  if (cacheFrozenPrefix) {
    const cached = cacheBelowBoundary(model, x, validation, batchSize);
    if (cached) {
      ({ trainer, xs } = cached);
      validation = cached.validation;
      owned.push(...cached.owned);
    }
  }

  const random = makeRandom(seed ?? tk.nextSeed());
  const order = Array.from({ length: trainCount }, (_, i) => i);
  const steps = Math.ceil(trainCount / batchSize);
  function* epochBatches() {
    if (shuffle) shuffleInPlace(order, random);
    for (let step = 0; step < steps; step++) {
      const rows = order.slice(step * batchSize, Math.min(trainCount, (step + 1) * batchSize));
      yield { x: xs.gather(rows), y: y.gather(rows) };
    }
  }
  const validate = validation && (() => evaluate(trainer, validation[0], validation[1], { batchSize }));
  try {
    return await runEpochs(model, { trainer, samples: trainCount, steps, batchSize, epochBatches, validate }, args);
  } finally {
    owned.forEach((t) => t.dispose());
  }
}

/**
 * The epoch and batch loop over a plan: {trainer (the model or the top above
 * a cached boundary), samples, steps, batchSize, epochBatches() (an iterable,
 * sync or async, of {x, y} batches the loop disposes), validate() (or null)}.
 */
export async function runEpochs(model, plan, args) {
  const { epochs = 1, initialEpoch = 0, classWeight, callbacks = [], signal, verbose = 0 } = args;
  const tk = model._tk;
  const { trainer, batchSize } = plan;
  const history = new History();
  const list = [history, ...(Array.isArray(callbacks) ? callbacks : [callbacks])];
  for (const cb of list) cb.setModel?.(model);
  history.params = { epochs, initialEpoch, samples: plan.samples, steps: plan.steps, batchSize, cachedBoundary: trainer === model ? null : trainer.boundary };
  model.stopTraining = false;
  let lastYield = Date.now();

  // Per-batch hooks (and the per-batch logs they get) only where a callback
  // has them: a head's trials run tens of thousands of steps without.
  const [batchBegin, batchEnd] = ['onBatchBegin', 'onBatchEnd'].map((hook) => list.some((cb) => typeof cb[hook] === 'function'));
  await dispatch(list, 'onTrainBegin', {});
  // An abort ends training like stopTraining does: the model keeps the
  // weights of the last completed batch and fit() resolves (history.aborted).
  for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining && !signal?.aborted; epoch++) {
    await dispatch(list, 'onEpochBegin', epoch, {});
    tk.core.resetMetrics(trainer.handle);
    const started = Date.now();
    let step = 0;
    for await (const batch of plan.epochBatches()) {
      const size = batchEnd ? batch.x.shape[0] : 0;
      let wb = null;
      try {
        if (signal?.aborted || model.stopTraining) break;
        if (batchBegin) await dispatch(list, 'onBatchBegin', step, { batch: step, size: batchSize });
        wb = classWeight ? sampleWeightsFor(tk, batch.y, classWeight) : null;
        trainer.trainOnBatch(batch.x, batch.y, wb);
      } catch (error) {
        if (!(error instanceof TrainingDivergedError)) throw error;
        // The core refused the step: the weights are the last good ones.
        throw Object.assign(
          new TrainingDivergedError(`training stopped at epoch ${epoch + 1}, batch ${step + 1}: ${error.message}`),
          { history },
        );
      } finally {
        batch.x.dispose();
        batch.y.dispose();
        wb?.dispose();
      }
      if (batchEnd) {
        const logs = Object.fromEntries(JSON.parse(tk.core.metricResults(trainer.handle)));
        await dispatch(list, 'onBatchEnd', step, { batch: step, size, ...logs });
      }
      step++;
      if (Date.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        lastYield = Date.now();
      }
    }
    if (signal?.aborted) break;
    const logs = Object.fromEntries(JSON.parse(tk.core.metricResults(trainer.handle)));
    if (plan.validate) {
      const v = await plan.validate();
      for (const [key, value] of Object.entries(v)) if (typeof value === 'number') logs[`val_${key}`] = value;
    }
    history.record(epoch, logs);
    if (verbose) {
      const parts = Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`);
      console.log(`Epoch ${epoch + 1}/${epochs} - ${((Date.now() - started) / 1000).toFixed(1)}s - ${parts.join(' - ')}`);
    }
    await dispatch(list, 'onEpochEnd', epoch, logs);
  }
  await dispatch(list, 'onTrainEnd', {});
  if (signal?.aborted) history.aborted = true;
  return history;
}
