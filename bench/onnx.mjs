// Inference of an imported ONNX backbone: Tanuki against ONNX Runtime Web
// (onnxruntime-web, its WebAssembly backend with SIMD, run in Node), both on
// one thread, at batch 1 and batch 32. The network is MobileNetV2 (224x224,
// 1000 classes) written by onnx.helper at bench time (bench/make_mobilenet_v2.py,
// BatchNormalization as separate nodes, as PyTorch exports it); without
// python3-onnx, the bundled MobileNetV2 exported by Tanuki. The same network
// is also timed as a layers model (the imported one saved in the layers format
// and loaded back): an imported model should run through the same fused plan
// at the same speed. Prints one JSON line per measurement, then a table.
//
//   node bench/onnx.mjs            best of 5 rounds (batch 1) / 3 (batch 32) after 2 warm-ups
//   node bench/onnx.mjs --quick    best of 3 / 2 rounds after 1 warm-up
//
// Outputs are checked to agree (Tanuki against ONNX Runtime Web) before timing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as ort from 'onnxruntime-web';
import tanuki from 'tanuki';

import { maxAbsDifference, nhwcToNchw } from '../tests/js/onnx/onnx_helpers.mjs';
import { bestOfEach } from './best_of_each.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const WARMUP = quick ? 1 : 2;
const work = mkdtempSync(join(tmpdir(), 'tanuki-bench-onnx-'));

const runsFor = (batch) => (batch === 1 ? (quick ? 3 : 5) : quick ? 2 : 3);
const records = [];
function emit(record) {
  console.log(JSON.stringify(record));
  records.push(record);
}

const tk = await tanuki.load({ threads: false });

/** The ONNX file: written by onnx.helper, or else the bundled network exported by Tanuki. */
async function onnxFile() {
  const path = join(work, 'mobilenet_v2.onnx');
  for (const python of [process.env.TANUKI_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean)) {
    try {
      execFileSync(python, [join(root, 'bench/make_mobilenet_v2.py'), path], { stdio: ['ignore', 'ignore', 'pipe'] });
      return { path, writer: 'onnx.helper' };
    } catch {
      // not this Python (no onnx module): the next
    }
  }
  const bundled = await tk.loadLayersModel(join(root, 'dist/models/mobilenet_v2'));
  writeFileSync(path, bundled.toOnnx());
  bundled.dispose();
  return { path, writer: 'tanuki toOnnx (bundled MobileNetV2)' };
}

const { path, writer } = await onnxFile();
const imported = await tk.loadOnnxModel(path);
const layersDir = join(work, 'layers');
await imported.save(layersDir);
const layers = await tk.loadLayersModel(layersDir);

ort.env.wasm.numThreads = 1;
ort.env.wasm.simd = true; // the only build onnxruntime-web 1.20+ ships; older ones read this
const session = await ort.InferenceSession.create(path, { executionProviders: ['wasm'] });
const ortRun = async (nchw, n) => {
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', nchw, [n, 3, 224, 224]) };
  return (await session.run(feeds))[session.outputNames[0]].data;
};

// The three agree before any is timed.
{
  const x = tk.randomUniform([2, 224, 224, 3]);
  const ours = imported.predict(x).dataSync();
  const again = layers.predict(x).dataSync();
  const theirs = await ortRun(nhwcToNchw(x.dataSync(), ...x.shape), 2);
  x.dispose();
  const [gap, gapLayers] = [maxAbsDifference(ours, theirs), maxAbsDifference(ours, again)];
  if (!(gap < 1e-4) || !(gapLayers < 1e-6)) throw new Error(`outputs disagree: |tanuki - ort web| = ${gap}, |onnx import - layers model| = ${gapLayers}`);
}

// The same plan: the fused chains the profiler sees in one call of each.
const plan = async (model, x) => (await tk.profile(() => model.predict(x).dispose())).entries.map((e) => `${e.what} x${e.calls}`).sort();
{
  const x = tk.randomUniform([1, 224, 224, 3]);
  const [a, b] = [await plan(imported, x), await plan(layers, x)];
  x.dispose();
  emit({ lib: 'tanuki', task: 'same fused plan, onnx import and layers model', same: a.join() === b.join(), chains: a.length });
}

for (const batch of [1, 32]) {
  const x = tk.randomUniform([batch, 224, 224, 3]);
  const nchw = nhwcToNchw(x.dataSync(), ...x.shape);
  const runs = runsFor(batch);
  const time = await bestOfEach({
    'tanuki onnx import': () => imported.predict(x).dispose(),
    'tanuki layers model': () => layers.predict(x).dispose(),
    'onnxruntime-web wasm': () => ortRun(nchw, batch),
  }, runs, WARMUP);
  x.dispose();
  for (const [lib, seconds] of Object.entries(time)) emit({ lib, task: `onnx inference b${batch}`, threads: 1, model: writer, seconds, imgPerSec: batch / seconds });
}
await session.release();
imported.dispose();
layers.dispose();
rmSync(work, { recursive: true, force: true });

const find = (lib, batch) => records.find((r) => r.lib === lib && r.task === `onnx inference b${batch}`);
console.log(`\nMobileNetV2 224x224 from ONNX (${writer}), 1 thread, img/s${quick ? ' (--quick)' : ''}:`);
console.log('| batch | tanuki onnx import | tanuki layers model | onnxruntime-web wasm | tanuki / ort web |');
console.log('|---|---|---|---|---|');
for (const batch of [1, 32]) {
  const [a, b, c] = ['tanuki onnx import', 'tanuki layers model', 'onnxruntime-web wasm'].map((lib) => find(lib, batch).imgPerSec);
  console.log(`| ${batch} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${c.toFixed(1)} | ${(a / c).toFixed(2)}x |`);
}
