// Inference of an imported TF.js graph model: Tanuki against TF.js's own graph
// executor (@tensorflow/tfjs-converter on tfjs-backend-wasm, SIMD), both on
// one thread, at batch 1 and batch 32. The network is nsfwjs's MobileNetV2
// graph model (`mobilenet_v2_mid`: 224x224, fused Conv2D+BatchNormalization+
// ReLU6 ops, quantized weights), decoded from the installed package. The same
// network is also timed as a layers model (the imported one saved in the
// layers format and loaded back): an imported model should run through the
// same fused plan at the same speed. Prints one JSON line per measurement,
// then a table.
//
//   node bench/graph_model.mjs            best of 5 rounds (batch 1) / 3 (batch 32) after 2 warm-ups
//   node bench/graph_model.mjs --quick    best of 3 / 2 rounds after 1 warm-up
//
// Outputs are checked to agree (Tanuki against TF.js) before timing.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs-core';
import * as converter from '@tensorflow/tfjs-converter';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import tanuki from 'tanuki';

import { bestOfEach } from './best_of_each.mjs';
import { decodeNsfwjsModel } from '../scripts/nsfwjs_model.mjs';
import { maxAbsDifference } from '../tests/js/onnx/onnx_helpers.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const WARMUP = quick ? 1 : 2;
const NAME = 'mobilenet_v2_mid';

const runsFor = (batch) => (batch === 1 ? (quick ? 3 : 5) : quick ? 2 : 3);
const records = [];
function emit(record) {
  console.log(JSON.stringify(record));
  records.push(record);
}

const artifacts = decodeNsfwjsModel(root, NAME);
const tk = await tanuki.load({ threads: false });
const imported = await tk.loadGraphModel(artifacts);
const layers = await tk.loadLayersModel(imported.toArtifacts());
const [h, w, c] = imported.inputs[0].shape.slice(1);

tfwasm.setWasmPaths(join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
tfwasm.setThreadsCount(1);
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
await tf.setBackend('wasm');
await tf.ready();
const { modelJson, weightData } = artifacts;
const theirs = await converter.loadGraphModel(tf.io.fromMemory({
  ...modelJson,
  weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
  weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
}));
const tfjsRun = (values, n) => {
  const x = tf.tensor(values, [n, h, w, c]);
  const out = theirs.predict(x);
  const data = out.dataSync();
  tf.dispose([x, out]);
  return data;
};

// The three agree before any is timed.
{
  const x = tk.randomUniform([2, h, w, c]);
  const ours = imported.predict(x).dataSync();
  const again = layers.predict(x).dataSync();
  const reference = tfjsRun(x.dataSync(), 2);
  x.dispose();
  const [gap, gapLayers] = [maxAbsDifference(ours, reference), maxAbsDifference(ours, again)];
  if (!(gap < 1e-4) || !(gapLayers < 1e-6)) throw new Error(`outputs disagree: |tanuki - tfjs graph| = ${gap}, |graph import - layers model| = ${gapLayers}`);
}

// The same plan: the fused chains the profiler sees in one call of each.
const plan = async (model, x) => (await tk.profile(() => model.predict(x).dispose())).entries.map((e) => `${e.what} x${e.calls}`).sort();
{
  const x = tk.randomUniform([1, h, w, c]);
  const [a, b] = [await plan(imported, x), await plan(layers, x)];
  x.dispose();
  emit({ lib: 'tanuki', task: 'same fused plan, graph import and layers model', same: a.join() === b.join(), chains: a.length });
}

for (const batch of [1, 32]) {
  const x = tk.randomUniform([batch, h, w, c]);
  const values = x.dataSync().slice();
  const time = await bestOfEach({
    'tanuki graph import': () => imported.predict(x).dispose(),
    'tanuki layers model': () => layers.predict(x).dispose(),
    'tfjs graph wasm': () => tfjsRun(values, batch),
  }, runsFor(batch), WARMUP);
  x.dispose();
  for (const [lib, seconds] of Object.entries(time)) emit({ lib, task: `graph inference b${batch}`, threads: 1, model: `nsfwjs ${NAME}`, seconds, imgPerSec: batch / seconds });
}
theirs.dispose();
imported.dispose();
layers.dispose();

const find = (lib, batch) => records.find((r) => r.lib === lib && r.task === `graph inference b${batch}`);
console.log(`\nMobileNetV2 ${h}x${w} from a TF.js graph model (nsfwjs ${NAME}), 1 thread, img/s${quick ? ' (--quick)' : ''}:`);
console.log('| batch | tanuki graph import | tanuki layers model | tfjs graph model, wasm | tanuki / tfjs |');
console.log('|---|---|---|---|---|');
for (const batch of [1, 32]) {
  const [a, b, t] = ['tanuki graph import', 'tanuki layers model', 'tfjs graph wasm'].map((lib) => find(lib, batch).imgPerSec);
  console.log(`| ${batch} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${t.toFixed(1)} | ${(a / t).toFixed(2)}x |`);
}
