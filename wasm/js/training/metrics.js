// tk.metrics.binaryAccuracy(): Keras's metric objects
// (metrics=[keras.metrics.BinaryAccuracy()]) under TF.js-style names. A
// metric object is its name; compile() takes objects and names alike.
const metricNames = ['accuracy', 'binaryAccuracy', 'categoricalAccuracy', 'sparseCategoricalAccuracy'];

export class Metric {
  constructor(name) {
    this.name = name;
    Object.freeze(this);
  }

  toString() {
    return this.name;
  }
}

export function metricFactories() {
  return Object.fromEntries(metricNames.map((name) => [name, () => new Metric(name)]));
}

/** A metric's name, from a name or a metric object; undefined for anything else. */
export function metricName(metric) {
  if (typeof metric === 'string') return metric;
  if (metric instanceof Metric) return metric.name;
  return undefined;
}
