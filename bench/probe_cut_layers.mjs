// Linear probes: which layer of a backbone gives the most general features?
// For each candidate layer, global-average-pooled activations of the training
// photos train a softmax classifier (Adam, 30 epochs); accuracy is measured on
// the validation photos. One pass through the network serves every layer. A
// last row probes all the candidates together, each feature standardised.
// With a WINDOW above 1, each activation is first max-pooled over WINDOW x
// WINDOW neighbourhoods (stride 1), as the bundled backbone's cut does.
// Run: node bench/probe_cut_layers.mjs [DATA_DIR] [BACKBONE] [layer,layer,...] [WINDOW]
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import tanuki from '../wasm/js/index.js';

const data = process.argv[2] ?? '../shared/data/cats_vs_dogs';
const backboneSpec = process.argv[3] ?? 'bundled';
const defaultLayers = ['block_6_expand_relu', 'block_8_expand_relu', 'block_10_expand_relu', 'block_12_expand_relu',
  'block_13_expand_relu', 'block_15_expand_relu', 'out_relu'];
const candidates = process.argv[4]?.split(',') ?? defaultLayers;
const window = Number(process.argv[5] ?? 1);
if (!existsSync(data)) {
  console.log(`skipped: ${data} is absent`);
  process.exit(0);
}

const tk = await tanuki.load();
const backbone = await tk.loadBackbone(backboneSpec, { cutLayer: candidates[candidates.length - 1] });
const full = backbone.full;
const input = tk.input({ shape: [...backbone.inputSize, 3] });
const rescale = tk.layers.rescaling({ scale: backbone.scale, offset: backbone.offset });
// One model whose output concatenates the pooled activations of every candidate.
const scaled = rescale.apply(input);
const localMax = (x) => (window > 1 ? tk.layers.maxPooling2d({ poolSize: window, strides: 1, padding: 'same' }).apply(x) : x);
const pooled = candidates.map((name) => tk.layers.globalAveragePooling2d({}).apply(localMax(full.layerOutput(name))));
const probeModel = tk.model({ inputs: full.inputs, outputs: pooled.length > 1 ? tk.layers.concatenate({}).apply(pooled) : pooled[0] });
const features = tk.model({ inputs: input, outputs: probeModel.apply(scaled) });
const sizes = candidates.map((name) => full.layerOutput(name).shape[3]);

function listSplit(split) {
  const dir = join(data, split);
  const classes = readdirSync(dir).sort();
  return { classes, items: classes.flatMap((c, label) => readdirSync(join(dir, c)).sort().map((f) => ({ path: join(dir, c, f), label }))) };
}

async function extract(items) {
  const width = sizes.reduce((a, b) => a + b, 0);
  const out = new Float32Array(items.length * width);
  const started = Date.now();
  for (let i = 0; i < items.length; i += 16) {
    const batch = items.slice(i, i + 16).map((it) => tk.image.decode(it.path, { size: backbone.inputSize, crop: 'center', scale: 1, offset: 0 }));
    const x = tk.concat(batch);
    batch.forEach((t) => t.dispose());
    const y = features.predict(x);
    out.set(y.dataSync(), i * width);
    x.dispose();
    y.dispose();
  }
  console.error(`  ${items.length} images in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { values: out, width };
}

const train = listSplit('train');
const val = existsSync(join(data, 'val')) ? listSplit('val') : null;
console.error(`extracting ${candidates.length} layers from ${train.items.length} training photos`);
const trainF = await extract(train.items);
const valF = val ? await extract(val.items) : null;

// Every feature standardised by the training photos' mean and deviation (as the classifier's head does).
function standardise(f, n, stats) {
  const { width } = f;
  stats ??= Array.from({ length: width }, (_, j) => {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) sum += f.values[i * width + j];
    const mean = sum / n;
    for (let i = 0; i < n; i++) squares += (f.values[i * width + j] - mean) ** 2;
    return [mean, Math.sqrt(squares / n) + 1e-3];
  });
  const values = f.values.map((v, i) => (v - stats[i % width][0]) / stats[i % width][1]);
  return { values, width, stats };
}

const probes = candidates.map((name, k) => ({ name, size: sizes[k], offset: sizes.slice(0, k).reduce((a, b) => a + b, 0), trainF, valF }));
if (candidates.length > 1) {
  const trainS = standardise(trainF, train.items.length);
  probes.push({ name: candidates.join(' + ') + ' (standardised)', size: trainF.width, offset: 0, trainF: trainS, valF: valF && standardise(valF, val.items.length, trainS.stats) });
}
for (const { name, size, offset, trainF, valF } of probes) {
  const pick = (f, n) => {
    const out = new Float32Array(n * size);
    for (let i = 0; i < n; i++) out.set(f.values.subarray(i * f.width + offset, i * f.width + offset + size), i * size);
    return out;
  };
  tk.setSeed(1);
  const head = tk.sequential({ layers: [tk.layers.dense({ units: train.classes.length, activation: 'softmax', inputShape: [size] })] });
  head.compile({ optimizer: tk.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = tk.tensor(pick(trainF, train.items.length), [train.items.length, size]);
  const y = tk.tensor(Float32Array.from(train.items.map((it) => it.label)), [train.items.length]);
  await head.fit(x, y, { epochs: 30, batchSize: 32, seed: 1 });
  let result = '';
  if (valF) {
    const vx = tk.tensor(pick(valF, val.items.length), [val.items.length, size]);
    const vy = tk.tensor(Float32Array.from(val.items.map((it) => it.label)), [val.items.length]);
    const r = await head.evaluate(vx, vy);
    result = `val accuracy ${(100 * r.accuracy).toFixed(1)} %`;
  }
  console.log(JSON.stringify({ layer: name, features: size, window, result }));
}
