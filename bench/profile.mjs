// Where the time goes, layer by layer, on the bundled MobileNetV2 (224x224):
// inference at batch 32 and one fine-tuning step at batch 8 (all layers
// trainable, Adam). Prints one JSON line per entry, then a table per task.
// --by-layer keeps each layer apart (its name after the class) and lists
// every layer's share, not only the larger ones.
//
//   node bench/profile.mjs [--threads N] [--by-layer]
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import tanuki from 'tanuki';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = process.argv.indexOf('--threads');
const threads = at >= 0 ? Number(process.argv[at + 1]) : false;
const byLayer = process.argv.includes('--by-layer');
const tk = await tanuki.load({ threads });
const model = await tk.loadLayersModel(join(root, 'dist/models/mobilenet_v2'));

/** Profiles `runs` calls of fn after `warmup` unprofiled ones; entries per call. */
async function profile(fn, { warmup = 2, runs = 3 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const { entries } = await tk.profile(() => {
    for (let i = 0; i < runs; i++) fn();
  }, { byLayer });
  return entries.map((e) => ({ ...e, seconds: e.seconds / runs, calls: e.calls / runs }));
}

function table(task, entries) {
  const total = entries.reduce((s, e) => s + e.seconds, 0);
  for (const e of entries) console.log(JSON.stringify({ task, ...e }));
  console.log(`\n${task}: ${total.toFixed(3)} s in layers`);
  for (const e of entries.filter((e) => byLayer || e.seconds / total >= 0.005)) {
    const what = e.layer ? `${e.what} ${e.layer}` : e.what;
    console.log(`  ${(e.seconds * 1000).toFixed(1).padStart(8)} ms ${((100 * e.seconds) / total).toFixed(1).padStart(5)} %  ${e.phase.padEnd(9)} ${what} (${e.calls} calls)`);
  }
}

// Warm-up calls first: V8 optimizes WebAssembly functions only after their first calls.
const x32 = tk.randomUniform([32, 224, 224, 3]);
table('inference b32', await profile(() => model.predict(x32).dispose()));
x32.dispose();

for (const layer of model.layers) layer.trainable = true;
model.compile({ optimizer: tk.train.adam(1e-4), loss: 'categoricalCrossentropy' });
const x8 = tk.randomUniform([8, 224, 224, 3]);
const y8 = tk.tensor(Array.from({ length: 40 }, (_, i) => (i % 5 === Math.floor(i / 5) % 5 ? 1 : 0)), [8, 5]);
table('fine-tune step b8 all layers', await profile(() => model.trainOnBatch(x8, y8)));
