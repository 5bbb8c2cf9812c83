// The relaxed-SIMD build against the plain SIMD build, one thread each, in
// one Node process: the bundled MobileNetV2's inference (batch 1 and 32) and
// a fine-tuning step (batch 8, all layers), the two builds taking turns so
// that a busy machine slows both alike, and how far their predictions are
// apart. One JSON line per measurement.
//
//   node bench/relaxed_simd.mjs     (starts itself again with
//                                    --experimental-wasm-relaxed-simd where Node needs it)
// The kernels alone: node --experimental-wasm-relaxed-simd build/wasm/tanuki_kernels_bench_relaxed.js 1
// (every variant, the _wasmrelaxed ones beside the _wasmsimd ones).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import tanuki from 'tanuki';
import { hasRelaxedSimd } from '../wasm/js/loader.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const MACS_PER_IMAGE = 299.5e6;

if (!hasRelaxedSimd()) {
  const child = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const builds = [];
for (const simd of ['plain', 'relaxed']) {
  const tk = await tanuki.load({ threads: false, simd });
  if (tk.simd !== simd) throw new Error(`asked for the ${simd} build, got ${tk.simd}`);
  const model = await tk.loadLayersModel(join(root, 'dist/models/mobilenet_v2'));
  builds.push({ simd, tk, model });
}

// Best of `rounds` timings of each build, alternating builds.
function race(task, setup, rounds) {
  const inputs = builds.map((b) => setup(b));
  const best = builds.map(() => Infinity);
  for (let round = 0; round <= rounds; round++) {
    builds.forEach((b, i) => {
      const start = performance.now();
      inputs[i].run();
      const t = (performance.now() - start) / 1000;
      if (round > 0) best[i] = Math.min(best[i], t); // round 0 warms up
    });
  }
  inputs.forEach((input) => input.dispose());
  const records = builds.map((b, i) => ({ lib: `tanuki 1 thread ${b.simd}`, task, seconds: best[i], ...(task.startsWith('inference') && { imgPerSec: input(task) / best[i], gmacs: (input(task) * MACS_PER_IMAGE) / best[i] / 1e9 }) }));
  for (const r of records) console.log(JSON.stringify(r));
  console.log(JSON.stringify({ task, speedup: best[0] / best[1] }));
}
const input = (task) => Number(task.match(/b(\d+)/)[1]);

for (const batch of [1, 32]) {
  race(`inference b${batch}`, ({ tk, model }) => {
    tk.setSeed(3);
    const x = tk.randomUniform([batch, 224, 224, 3]);
    return { run: () => model.predict(x).dispose(), dispose: () => x.dispose() };
  }, batch === 1 ? 10 : 6);
}

race('fine-tune step b8 all layers', ({ tk, model }) => {
  for (const layer of model.layers) layer.trainable = true;
  model.compile({ optimizer: tk.train.sgd(1e-4), loss: 'categoricalCrossentropy' });
  tk.setSeed(3);
  const x = tk.randomUniform([8, 224, 224, 3]);
  const y = tk.tensor(Array.from({ length: 40 }, (_, i) => (i % 5 === Math.floor(i / 5) % 5 ? 1 : 0)), [8, 5]);
  return { run: () => model.trainOnBatch(x, y), dispose: () => (x.dispose(), y.dispose()) };
}, 2);

// The same images through both builds: how far apart the class
// probabilities (softmax outputs in [0, 1]) and the top-1 classes are.
const outputs = builds.map(({ tk, model }) => {
  tk.setSeed(11);
  const x = tk.randomUniform([8, 224, 224, 3]);
  const p = model.predict(x);
  const values = { data: p.dataSync().slice(), classes: p.shape[1] };
  p.dispose();
  x.dispose();
  return values;
});
const classes = outputs[0].classes;
let worst = 0;
const [plain, relaxed] = outputs.map((o) => o.data);
for (let i = 0; i < plain.length; i++) worst = Math.max(worst, Math.abs(plain[i] - relaxed[i]));
const top1 = (v, n) => v.slice(n * classes, (n + 1) * classes).reduce((best, x, i, a) => (x > a[best] ? i : best), 0);
const sameTop1 = Array.from({ length: 8 }, (_, n) => top1(plain, n) === top1(relaxed, n)).filter(Boolean).length;
console.log(JSON.stringify({ task: 'predictions plain vs relaxed (8 random images)', maxAbsDiff: worst, sameTop1: `${sameTop1}/8` }));
