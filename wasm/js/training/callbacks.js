// Callbacks for fit(): History (always), EarlyStopping, and plain objects
// with any of onTrainBegin/onEpochBegin/onBatchBegin/onBatchEnd/onEpochEnd/
// onTrainEnd (each may be async), as in TF.js.

export class History {
  constructor() {
    /** Epoch numbers that ran. */
    this.epoch = [];
    /** {loss: [...], accuracy: [...], val_loss: [...], ...} per epoch. */
    this.history = {};
    this.params = {};
  }

  record(epoch, logs) {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}

/**
 * Stops training when `monitor` stops improving for `patience` epochs; with
 * restoreBestWeights, puts back the weights of the best epoch at the end.
 */
export class EarlyStopping {
  constructor({ monitor = 'val_loss', minDelta = 0, patience = 0, mode = 'auto', baseline, restoreBestWeights = false } = {}) {
    this.monitor = monitor;
    this.minDelta = Math.abs(minDelta);
    this.patience = patience;
    this.baseline = baseline;
    this.restoreBestWeights = restoreBestWeights;
    const higherIsBetter = mode === 'max' || (mode === 'auto' && /acc|precision|recall|auc/.test(monitor));
    this.better = higherIsBetter ? (a, b) => a - this.minDelta > b : (a, b) => a + this.minDelta < b;
  }

  setModel(model) {
    this.model = model;
  }

  onTrainBegin() {
    this.wait = 0;
    this.best = this.baseline ?? (this.better(0, 1) ? Infinity : -Infinity);
    this.bestWeights?.forEach((t) => t.dispose());
    this.bestWeights = null;
    this.stoppedEpoch = null;
  }

  onEpochEnd(epoch, logs) {
    const value = logs[this.monitor];
    if (value === undefined) return;
    if (this.better(value, this.best)) {
      this.best = value;
      this.wait = 0;
      if (this.restoreBestWeights) {
        this.bestWeights?.forEach((t) => t.dispose());
        this.bestWeights = this.model.getWeights();
      }
      return;
    }
    this.wait += 1;
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  onTrainEnd() {
    if (this.restoreBestWeights && this.bestWeights) {
      this.model.setWeights(this.bestWeights);
      this.bestWeights.forEach((t) => t.dispose());
      this.bestWeights = null;
    }
  }
}

/** Calls one hook on every callback, awaiting each. */
export async function dispatch(callbacks, hook, ...args) {
  for (const cb of callbacks) {
    if (typeof cb[hook] === 'function') await cb[hook](...args);
  }
}
