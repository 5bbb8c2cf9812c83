// A custom training loop, as Keras's GradientTape pattern: run the model,
// compute the loss and the gradients of its trainable weights, apply them
// with an optimizer. Here: a small classifier of two noisy spirals.
// Run: node examples/custom_training_loop.mjs
import tanuki from 'tanuki';

const tk = await tanuki.load();
tk.setSeed(7);
// A small seeded generator, so that every run is the same.
let state = 7;
const random = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);

// Two interleaved spirals, 200 points each.
const points = [];
const labels = [];
for (let i = 0; i < 400; i++) {
  const c = i % 2;
  const t = (i / 400) * 2 * Math.PI;
  const r = 0.2 + t / (2 * Math.PI);
  const angle = t + c * Math.PI;
  points.push([r * Math.cos(angle) + 0.02 * (random() - 0.5), r * Math.sin(angle) + 0.02 * (random() - 0.5)]);
  labels.push(c);
}
const x = tk.tensor(points);
const y = tk.tensor(labels, [labels.length]);

const model = tk.sequential({
  layers: [
    tk.layers.dense({ units: 32, activation: 'tanh', inputShape: [2] }),
    tk.layers.dense({ units: 32, activation: 'tanh' }),
    tk.layers.dense({ units: 2, activation: 'softmax' }),
  ],
});
const optimizer = tk.train.adam(0.02);
const batchSize = 32;

const order = Array.from({ length: 400 }, (_, i) => i);
for (let epoch = 1; epoch <= 200; epoch++) {
  // A fresh random order each epoch.
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  let total = 0;
  for (let start = 0; start < 400; start += batchSize) {
    const rows = order.slice(start, start + batchSize);
    const xb = x.gather(rows);
    const yb = y.gather(rows);
    const { loss, grads } = model.computeGradients(xb, yb, { loss: 'sparseCategoricalCrossentropy' });
    optimizer.applyGradients(grads);
    for (const { variable, gradient } of grads) {
      variable.dispose();
      gradient.dispose();
    }
    xb.dispose();
    yb.dispose();
    total += loss * rows.length;
  }
  if (epoch % 40 === 0) console.log(`epoch ${epoch}: loss ${(total / 400).toFixed(4)}`);
}

const p = model.predict(x).dataSync();
let correct = 0;
for (let i = 0; i < 400; i++) if ((p[2 * i + 1] > p[2 * i] ? 1 : 0) === labels[i]) correct++;
console.log(`training accuracy: ${((100 * correct) / 400).toFixed(1)} %`);
