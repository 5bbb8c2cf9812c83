// Tanuki against TensorFlow.js 4.22 on the bundled MobileNetV2 (224x224),
// side by side in one run: inference, fine-tuning steps, head-only training,
// the CLI end to end, peak memory and download size. Prints one JSON line per
// measurement, then a summary table with the ratios ours/theirs. It also runs
// bench/onnx.mjs: an imported ONNX MobileNetV2 against ONNX Runtime Web, and
// bench/graph_model.mjs: an imported TF.js graph model against TF.js's graph executor,
// and bench/browser.mjs: the same tasks against TF.js inside headless Chromium.
//
//   node bench/run.mjs            everything (about 20 minutes on 2 cores)
//   node bench/run.mjs --quick    skips TF.js's one-step cpu fine-tuning (minutes)
//   node bench/run.mjs --no-browser   skips the Chromium section
//   node bench/run.mjs --sizes    only the download sizes
//   node bench/run.mjs --summary FILE   the table again, from a run's saved output
//   node --experimental-wasm-relaxed-simd bench/run.mjs   the same, Tanuki's 1-thread rows
//                                 from the relaxed-SIMD build (each record's `simd` says which);
//                                 bench/relaxed_simd.mjs races the two builds
//
// Each TF.js backend runs in a child process of its own, so that one that
// fails (TF.js cannot fine-tune MobileNetV2 on its wasm backend) or holds on
// to memory does not disturb the others. Timings are the best of a few runs
// after a warm-up (V8 optimizes WebAssembly only after the first calls).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { browserSummary } from './browser/summary.mjs';
import { fusedPredictor } from './tfjs_fused.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const modelDir = join(root, 'dist/models/mobilenet_v2');
const dataDir = join(root, '../shared/data/cats_vs_dogs/train');
const MACS_PER_IMAGE = 299.5e6;
const quick = process.argv.includes('--quick');
const noBrowser = process.argv.includes('--no-browser');

/** Best of `runs` timed calls (seconds) after `warmup` untimed ones. */
async function best(fn, { runs = 3, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  let t = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    t = Math.min(t, (performance.now() - start) / 1000);
  }
  return t;
}

function emit(record) {
  console.log(JSON.stringify(record));
  return record;
}

// ---------------------------------------------------------------- ours ---
async function ours(threads) {
  const { default: tanuki } = await import('tanuki');
  const tk = await tanuki.load({ threads });
  const label = `tanuki ${threads === false ? 1 : threads} thread${threads === false ? '' : 's'}`;
  const out = [];
  const model = await tk.loadLayersModel(modelDir);
  for (const batch of [1, 32]) {
    const x = tk.randomUniform([batch, 224, 224, 3]);
    const t = await best(() => model.predict(x).dispose(), { runs: batch === 1 ? 5 : 3 });
    x.dispose();
    out.push(emit({ lib: label, task: `inference b${batch}`, seconds: t, imgPerSec: batch / t, gmacs: (batch * MACS_PER_IMAGE) / t / 1e9, simd: tk.simd }));
  }
  const fineTune = async (task, trainableFrom) => {
    let on = trainableFrom === undefined;
    for (const layer of model.layers) {
      if (layer.name === trainableFrom) on = true;
      layer.trainable = on;
    }
    model.compile({ optimizer: tk.train.adam(1e-4), loss: 'categoricalCrossentropy' });
    const x = tk.randomUniform([8, 224, 224, 3]);
    const y = tk.tensor(Array.from({ length: 40 }, (_, i) => (i % 5 === Math.floor(i / 5) % 5 ? 1 : 0)), [8, 5]);
    const t = await best(() => model.trainOnBatch(x, y), { runs: 2 });
    x.dispose();
    y.dispose();
    out.push(emit({ lib: label, task, seconds: t, imgPerSec: 8 / t, heapBytes: tk.memory().heapBytes }));
  };
  await fineTune('fine-tune step b8 all layers');
  await fineTune('fine-tune step b8 top block', 'block_16_expand');
  out.push(emit({ lib: label, task: 'peak memory', heapBytes: tk.memory().heapBytes, usedBytes: tk.memory().usedBytes }));
  model.dispose();

  tk.setSeed(1);
  const features = tk.randomNormal([1000, 1280]);
  const labels = tk.tensor(Array.from({ length: 2000 }, (_, i) => ((i >> 1) % 2 === i % 2 ? 1 : 0)), [1000, 2]);
  const head = tk.sequential({ layers: [tk.layers.dense({ units: 2, activation: 'softmax', inputShape: [1280] })] });
  head.compile({ optimizer: tk.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const t = await best(() => head.fit(features, labels, { epochs: 10, batchSize: 32, verbose: 0 }), { runs: 3 });
  out.push(emit({ lib: label, task: 'head-only 10 epochs', seconds: t }));
  return out;
}

// -------------------------------------------------------------- TF.js ---
async function loadTfjsModel(tf, tfl, dir) {
  const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const parts = modelJson.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
  const bytes = new Uint8Array(Buffer.concat(parts));
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    }),
  );
}

async function tfjs(backend, threads) {
  const tf = await import('@tensorflow/tfjs-core');
  const tfl = await import('@tensorflow/tfjs-layers');
  const label = `tfjs ${backend}${backend === 'wasm' ? ` ${threads} thread${threads > 1 ? 's' : ''}` : ''}`;
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
    wasm.setThreadsCount(threads);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  await tf.setBackend(backend);
  await tf.ready();
  const model = await loadTfjsModel(tf, tfl, modelDir);
  if (backend === 'wasm') {
    const fused = fusedPredictor(tf, model);
    const probe = tf.randomUniform([2, 224, 224, 3]);
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(fused(probe), model.predict(probe)))).dataSync()[0]);
    probe.dispose();
    if (!(gap < 1e-3)) throw new Error(`the fused TF.js path disagrees with the layers model by ${gap}`);
    for (const batch of [1, 32]) {
      const x = tf.randomUniform([batch, 224, 224, 3]);
      const runs = batch === 1 ? 5 : 2;
      const t = await best(() => tf.tidy(() => model.predict(x)).dataSync(), { runs });
      emit({ lib: label, task: `inference b${batch}`, seconds: t, imgPerSec: batch / t, gmacs: (batch * MACS_PER_IMAGE) / t / 1e9 });
      const tf2 = await best(() => fused(x).dataSync(), { runs });
      emit({ lib: label, task: `inference b${batch} fused`, seconds: tf2, imgPerSec: batch / tf2, gmacs: (batch * MACS_PER_IMAGE) / tf2 / 1e9 });
      x.dispose();
    }
  }
  // Before fine-tuning, which can abort the wasm backend's module.
  if (backend === 'wasm') {
    const features = tf.randomNormal([1000, 1280]);
    const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 1000 }, (_, i) => i % 2), 'int32'), 2);
    const head = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, activation: 'softmax', inputShape: [1280] })] });
    head.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const t = await best(() => head.fit(features, labels, { epochs: 10, batchSize: 32, verbose: 0 }), { runs: 3 });
    emit({ lib: label, task: 'head-only 10 epochs', seconds: t });
  }
  const fineTune = async (task, trainableFrom) => {
    let on = trainableFrom === undefined;
    for (const layer of model.layers) {
      if (layer.name === trainableFrom) on = true;
      layer.trainable = on;
    }
    model.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([8, 224, 224, 3]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2], 'int32'), 5);
    try {
      const start = performance.now();
      await model.trainOnBatch(x, y); // one step: on the cpu backend it takes minutes
      const t = (performance.now() - start) / 1000;
      emit({ lib: label, task, seconds: t, imgPerSec: 8 / t });
    } catch (error) {
      emit({ lib: label, task, error: String(error.message ?? error).slice(0, 200) });
    }
  };
  if (backend === 'wasm' || !quick) await fineTune('fine-tune step b8 all layers');
  await fineTune('fine-tune step b8 top block', 'block_16_expand');
  model.dispose();

}

// ------------------------------------------------------ CLI end to end ---
function cliEndToEnd() {
  if (!existsSync(dataDir)) return emit({ lib: 'tanuki', task: 'cli train 1600 photos', skipped: `${dataDir} is absent` });
  const out = mkdtempSync(join(tmpdir(), 'tanuki-bench-'));
  try {
    const start = performance.now();
    execFileSync(process.execPath, [join(root, 'cli/tanuki.mjs'), 'train', '--data', dataDir, '--out', out, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
    });
    return emit({ lib: 'tanuki', task: 'cli train 1600 photos', seconds: (performance.now() - start) / 1000 });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- size ---
// What a page downloads once its bundler has minified the package's modules
// (esbuild here, as Vite does): the JS, one build's glue and its .wasm.
async function bundledSizes() {
  const { build } = await import('esbuild');
  const bundle = await build({
    entryPoints: [join(root, 'wasm/js/index.js')], bundle: true, minify: true, format: 'esm', platform: 'browser',
    write: false, logLevel: 'error', external: ['node:*', '../../dist/wasm/*'],
  });
  const js = bundle.outputFiles[0].contents;
  const size = (files) => ({
    files: files.length + 1,
    raw: js.length + files.reduce((n, f) => n + statSync(f).size, 0),
    gzip: gzipSync(js, { level: 9 }).length + files.reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0),
  });
  const dist = (files) => files.map((f) => join(root, 'dist/wasm', f));
  return [
    emit({ lib: 'tanuki bundled', task: 'download size', ...size(dist(['tanuki.mjs', 'tanuki.wasm'])) }),
    emit({ lib: 'tanuki threaded bundled', task: 'download size', ...size(dist(['tanuki-threaded.mjs', 'tanuki-threaded.wasm', 'tanuki-threaded.worker.js'])) }),
  ];
}

function sizes() {
  const gz = (files) => {
    const raw = files.reduce((n, f) => n + statSync(f).size, 0);
    const gzip = files.reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0);
    return { files: files.length, raw, gzip };
  };
  const jsFiles = (dir) =>
    readdirSync(dir, { recursive: true })
      .filter((f) => f.endsWith('.js'))
      .map((f) => join(dir, f));
  const tfDist = (pkg, file) => join(root, 'node_modules/@tensorflow', pkg, 'dist', file);
  const js = jsFiles(join(root, 'wasm/js'));
  const dist = (files) => files.map((f) => join(root, 'dist/wasm', f));
  return [
    emit({ lib: 'tanuki', task: 'download size', ...gz([...js, ...dist(['tanuki.mjs', 'tanuki.wasm'])]) }),
    emit({
      lib: 'tanuki threaded',
      task: 'download size',
      ...gz([...js, ...dist(['tanuki-threaded.mjs', 'tanuki-threaded.wasm', 'tanuki-threaded.worker.js'])]),
    }),
    emit({
      lib: 'tfjs wasm',
      task: 'download size',
      ...gz([
        tfDist('tfjs-core', 'tf-core.min.js'),
        tfDist('tfjs-layers', 'tf-layers.min.js'),
        tfDist('tfjs-backend-wasm', 'tf-backend-wasm.min.js'),
        tfDist('tfjs-backend-wasm', 'tfjs-backend-wasm-simd.wasm'),
      ]),
    }),
  ];
}

// ------------------------------------------------------------- summary ---
// Node's figures; bench/browser.mjs's (env: 'chromium') get a table of their own.
function summary(records) {
  const find = (lib, task) => records.find((r) => r.lib === lib && r.task === task && r.env === undefined);
  const fmt = (r, key) => (!r ? 'n/a' : r.error ? 'fails' : r.skipped ? 'skipped' : key === 'seconds' ? `${r.seconds.toFixed(3)} s` : r[key] < 1 ? r[key].toPrecision(2) : r[key].toFixed(1));
  const rows = [];
  const ratio = (a, b, key, higherIsBetter) => {
    if (!a || !b || a.error || b.error || a.skipped || b.skipped) return 'n/a';
    return `${(higherIsBetter ? a[key] / b[key] : b[key] / a[key]).toFixed(2)}x`;
  };
  for (const [task, key, pairs] of [
    ['inference b1', 'imgPerSec', [['tanuki 1 thread', 'tfjs wasm 1 thread'], ['tanuki 2 threads', 'tfjs wasm 2 threads']]],
    ['inference b32', 'imgPerSec', [['tanuki 1 thread', 'tfjs wasm 1 thread'], ['tanuki 2 threads', 'tfjs wasm 2 threads']]],
    ['fine-tune step b8 all layers', 'imgPerSec', [['tanuki 1 thread', 'tfjs cpu'], ['tanuki 1 thread', 'tfjs wasm 1 thread'], ['tanuki 2 threads', 'tfjs cpu']]],
    ['fine-tune step b8 top block', 'imgPerSec', [['tanuki 1 thread', 'tfjs wasm 1 thread'], ['tanuki 1 thread', 'tfjs cpu']]],
    ['head-only 10 epochs', 'seconds', [['tanuki 1 thread', 'tfjs wasm 1 thread']]],
  ])
    for (const [a, b] of pairs) {
      const ra = find(a, task), rb = find(b, task);
      rows.push([task, a, fmt(ra, key), b, fmt(rb, key), ratio(ra, rb, key, key !== 'seconds')]);
    }
  const size = (lib) => find(lib, 'download size');
  for (const lib of ['tanuki', 'tanuki threaded', 'tanuki bundled', 'tanuki threaded bundled']) {
    const a = size(lib), b = size('tfjs wasm');
    if (!a) continue;
    rows.push(['download gzip (KB)', lib, (a.gzip / 1024).toFixed(0), 'tfjs wasm', (b.gzip / 1024).toFixed(0), `${(a.gzip / b.gzip).toFixed(2)}x size`]);
  }
  // TF.js's fused path (BN folded, ReLU6 fused; bench/tfjs_fused.mjs), measured in
  // this run on 1 thread. Its threaded wasm build does not start in Node, so the
  // 2-thread figure is the one measured apart on this machine class (74.3 img/s).
  for (const batch of [1, 32]) {
    const ra = find('tanuki 1 thread', `inference b${batch}`), rb = find('tfjs wasm 1 thread', `inference b${batch} fused`);
    rows.push([`inference b${batch}`, 'tanuki 1 thread', fmt(ra, 'imgPerSec'), 'tfjs wasm fused 1 thread', fmt(rb, 'imgPerSec'), ratio(ra, rb, 'imgPerSec', true)]);
  }
  for (const batch of [1, 32]) {
    const task = `onnx inference b${batch}`;
    const ra = find('tanuki onnx import', task);
    for (const theirs of ['onnxruntime-web wasm', 'tanuki layers model']) {
      const rb = find(theirs, task);
      rows.push([`${task} (MobileNetV2 from ONNX)`, 'tanuki onnx import 1 thread', fmt(ra, 'imgPerSec'), `${theirs} 1 thread`, fmt(rb, 'imgPerSec'), ratio(ra, rb, 'imgPerSec', true)]);
    }
  }
  for (const batch of [1, 32]) {
    const task = `graph inference b${batch}`;
    const ra = find('tanuki graph import', task);
    for (const theirs of ['tfjs graph wasm', 'tanuki layers model']) {
      const rb = find(theirs, task);
      rows.push([`${task} (MobileNetV2 TF.js graph model)`, 'tanuki graph import 1 thread', fmt(ra, 'imgPerSec'), `${theirs} 1 thread`, fmt(rb, 'imgPerSec'), ratio(ra, rb, 'imgPerSec', true)]);
    }
  }
  const r2 = find('tanuki 2 threads', 'inference b32');
  if (r2) rows.push(['inference b32', 'tanuki 2 threads', fmt(r2, 'imgPerSec'), 'tfjs wasm fused 2 threads (anchor)', '74.3', `${(r2.imgPerSec / 74.3).toFixed(2)}x`]);
  const r1 = find('tanuki 1 thread', 'inference b32');
  if (r1 && r2) rows.push(['2-thread speed-up, inference b32', 'tanuki', `${(r2.imgPerSec / r1.imgPerSec).toFixed(2)}x`, '', '', '']);
  const cli = find('tanuki', 'cli train 1600 photos');
  rows.push(['cli train 1600 photos', 'tanuki', fmt(cli, 'seconds'), '', '', '']);
  for (const lib of ['tanuki 1 thread', 'tanuki 2 threads']) {
    const m = find(lib, 'peak memory');
    if (m) rows.push(['peak wasm heap (MB)', lib, (m.heapBytes / 2 ** 20).toFixed(0), '', '', '']);
  }
  const header = ['task', 'ours', 'value', 'theirs', 'value', 'ours/theirs'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(['', 'Node:', line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
  console.log(`\n(img/s where higher is better; head-only in seconds. ${cpus()[0].model}, ${availableParallelism()} cores, Node ${process.versions.node})`);
  targets(records, find);
  if (records.some((r) => r.env === 'chromium')) console.log(browserSummary(records));
}

// The issue's targets, each met or not, with what stands in the way when not
// (the profile printed below says where the time goes).
function targets(records, find) {
  const value = (lib, task, key) => find(lib, task)?.[key];
  const per = (a, b) => (a !== undefined && b !== undefined ? a / b : undefined);
  const checks = [
    ['inference b32, 1 thread, vs TF.js fused', per(value('tanuki 1 thread', 'inference b32', 'imgPerSec'), value('tfjs wasm 1 thread', 'inference b32 fused', 'imgPerSec')), 1.3,
      '1x1 convolutions are 80% of the time and run near the SIMD ceiling without fused multiply-add; closing it needs block fusion (expand-depthwise-project in cache) or relaxed SIMD'],
    ['inference b32, 2 threads, vs TF.js fused 2 threads (74.3 img/s)', per(value('tanuki 2 threads', 'inference b32', 'imgPerSec'), 74.3), 1.3, ''],
    ['2-thread speed-up, inference b32', per(value('tanuki 2 threads', 'inference b32', 'imgPerSec'), value('tanuki 1 thread', 'inference b32', 'imgPerSec')), 1.7, 'serial parts left between kernels'],
    ['fine-tune step vs TF.js cpu', per(value('tanuki 1 thread', 'fine-tune step b8 all layers', 'imgPerSec'), value('tfjs cpu', 'fine-tune step b8 all layers', 'imgPerSec')), 100, ''],
    ['fine-tune step, img/s, 1 thread', value('tanuki 1 thread', 'fine-tune step b8 all layers', 'imgPerSec'), 8, ''],
    ['head-only vs TF.js wasm', per(value('tfjs wasm 1 thread', 'head-only 10 epochs', 'seconds'), value('tanuki 1 thread', 'head-only 10 epochs', 'seconds')), 5, ''],
    ['cli train 1600 photos, seconds (at most)', value('tanuki', 'cli train 1600 photos', 'seconds'), 60, ''],
    ['download gzip vs TF.js (at most)', per(value('tanuki', 'download size', 'gzip'), value('tfjs wasm', 'download size', 'gzip')), 0.5,
      'the .wasm carries image decoding, the JSON parser, exceptions and Embind glue; needs modules loaded on demand and a smaller JSON reader'],
  ];
  console.log('\nTargets:');
  for (const [name, got, target, obstacle] of checks) {
    const atMost = name.includes('(at most)');
    const met = got !== undefined && (atMost ? got <= target : got >= target);
    const shown = got === undefined ? 'not measured' : got.toFixed(2);
    console.log(`  ${met ? 'met    ' : 'NOT MET'} ${name}: ${shown} (target ${atMost ? '<=' : '>='} ${target})${!met && obstacle ? ` -- ${obstacle}` : ''}`);
  }
}

// ---------------------------------------------------------------- main ---
const child = process.argv.indexOf('--child');
const saved = process.argv.indexOf('--summary');
if (saved >= 0) {
  const lines = readFileSync(process.argv[saved + 1], 'utf8').split('\n').filter((l) => l.startsWith('{'));
  summary(lines.map((l) => JSON.parse(l)));
} else if (process.argv.includes('--sizes')) {
  sizes();
  await bundledSizes();
} else if (child >= 0) {
  const [what, arg] = process.argv.slice(child + 1);
  if (what === 'ours') await ours(arg === '1' ? false : Number(arg));
  else await tfjs(what, Number(arg));
} else {
  const records = [];
  // A script in a process of its own; its JSON lines are the records.
  const collect = (script, args, label) => {
    const r = spawnSync(process.execPath, [script, ...(quick ? ['--quick'] : []), ...args], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    for (const l of r.stdout.split('\n').filter((l) => l.startsWith('{'))) {
      console.log(l);
      records.push(JSON.parse(l));
    }
    if (r.status !== 0) console.log(JSON.stringify({ lib: label, error: `exited with ${r.status}` }));
  };
  const run = (...args) => collect(fileURLToPath(import.meta.url), ['--child', ...args], args.join(' '));
  run('ours', '1');
  run('ours', '2');
  run('wasm', '1');
  run('wasm', '2');
  run('cpu', '1');
  // An imported ONNX MobileNetV2: Tanuki against ONNX Runtime Web.
  collect(join(root, 'bench/onnx.mjs'), [], 'bench/onnx.mjs');
  // An imported TF.js graph model (nsfwjs's MobileNetV2): Tanuki against TF.js's graph executor.
  collect(join(root, 'bench/graph_model.mjs'), [], 'bench/graph_model.mjs');
  // The same tasks inside headless Chromium, against TF.js's wasm backend there.
  if (!noBrowser) collect(join(root, 'bench/browser.mjs'), [], 'bench/browser.mjs');
  records.push(cliEndToEnd(), ...sizes(), ...(await bundledSizes()));
  summary(records);
  // Where our time goes (bench/profile.mjs), to read the ratios by.
  const profile = spawnSync(process.execPath, [join(root, 'bench/profile.mjs')], { encoding: 'utf8', maxBuffer: 64 << 20 });
  console.log(`\nProfile, 1 thread:${profile.stdout.split('\n').filter((l) => !l.startsWith('{')).join('\n')}`);
}
