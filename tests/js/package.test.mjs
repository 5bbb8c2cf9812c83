// The npm package as a user gets it: `npm pack`, installed offline into an
// empty project, imported as 'tanuki' to train and predict, and its `tanuki`
// command. The tarball holds the runtime only: no tests, C++ or build files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;
const built = existsSync(join(root, 'dist/wasm/tanuki.wasm')) && existsSync(join(root, 'dist/models/mobilenet_v2/weights.bin'));

let work;
let packed;
let project;

function run(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 300_000, ...options });
  if (result.error) throw result.error;
  return result;
}

before(() => {
  if (!built) return;
  work = mkdtempSync(join(tmpdir(), 'tanuki-package-'));
  const pack = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
  assert.equal(pack.status, 0, pack.stderr);
  packed = JSON.parse(pack.stdout)[0];
  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'tanuki-user', private: true, type: 'module' }));
  const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(work, packed.filename)], { cwd: project });
  assert.equal(install.status, 0, install.stderr);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const skip = built ? false : 'the package is not built (bash scripts/build.sh)';

test('the tarball holds the runtime, the types, the backbone and the command, nothing else', { skip }, () => {
  const files = packed.files.map((f) => f.path);
  for (const needed of ['package.json', 'README.md', 'wasm/js/index.js', 'wasm/js/index.d.ts', 'wasm/js/loader.js',
    'dist/wasm/tanuki.mjs', 'dist/wasm/tanuki.wasm', 'dist/models/mobilenet_v2/model.json',
    'dist/models/mobilenet_v2/weights.bin', 'cli/tanuki.mjs', 'web/components/tanuki-classifier.js', 'web/components/tanuki-classifier.d.ts', 'web/components/classifier.worker.js']) {
    assert.ok(files.includes(needed), `${needed} is in the package`);
  }
  const allowed = /^(package\.json|README\.md|LICENSE|wasm\/js\/.+\.(js|d\.ts)|dist\/wasm\/(tanuki(-threaded|-relaxed)?\.(mjs|wasm)|tanuki-threaded\.worker\.js|package\.json)|dist\/models\/mobilenet_v2\/(model\.json|weights\.bin)|cli\/[a-z_]+\.mjs|web\/components\/[a-z_.-]+\.(js|d\.ts))$/;
  const unexpected = files.filter((f) => !allowed.test(f));
  assert.deepEqual(unexpected, [], 'nothing but the runtime is shipped');
  // A user downloads this: keep an eye on it (the backbone is most of it).
  assert.ok(packed.size < 4e6, `tarball is ${packed.size} bytes`);
});

test("an empty project imports 'tanuki', trains a model and predicts", { skip }, () => {
  const script = `
    import tanuki from 'tanuki';
    const tk = await tanuki.load();
    tk.setSeed(1);
    // y = 1 when x0 > x1: a line a single Dense layer learns.
    const rows = Array.from({ length: 64 }, (_, i) => [Math.sin(i * 1.7), Math.cos(i * 2.3)]);
    const x = tk.tensor(rows);
    const y = tk.tensor(rows.map(([a, b]) => (a > b ? 1 : 0)), [64, 1]);
    const model = tk.sequential({ layers: [tk.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })] });
    model.compile({ optimizer: tk.train.adam(0.1), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 60, batchSize: 16 });
    const p = model.predict(tk.tensor([[0.9, -0.9], [-0.9, 0.9]])).dataSync();
    console.log(JSON.stringify({ accuracy: history.history.accuracy.at(-1), p: Array.from(p) }));
  `;
  writeFileSync(join(project, 'use.mjs'), script);
  const result = run(process.execPath, ['use.mjs'], { cwd: project });
  assert.equal(result.status, 0, result.stderr);
  const { accuracy, p } = JSON.parse(result.stdout.trim());
  assert.ok(accuracy > 0.9, `training accuracy ${accuracy}`);
  assert.ok(p[0] > 0.5 && p[1] < 0.5, `predictions ${p}`);
});

test("the installed package loads its bundled backbone and resolves the 'tanuki' types", { skip }, () => {
  const script = `
    import tanuki from 'tanuki';
    import { createRequire } from 'node:module';
    const tk = await tanuki.load();
    const backbone = await tk.loadBackbone('bundled');
    const pkg = createRequire(import.meta.url)('tanuki/package.json');
    console.log(JSON.stringify({ name: backbone.name, features: backbone.featureShape, types: pkg.types }));
  `;
  writeFileSync(join(project, 'backbone.mjs'), script);
  const result = run(process.execPath, ['backbone.mjs'], { cwd: project });
  assert.equal(result.status, 0, result.stderr);
  const { name, features, types } = JSON.parse(result.stdout.trim());
  assert.match(name, /MobileNetV2/);
  assert.ok(features.length && features.every((n) => n > 0), `feature shape ${features}`);
  assert.ok(existsSync(join(project, 'node_modules/tanuki', types)), `${types} is installed`);
});

test('the installed tanuki command prints its usage and fails without a command', { skip }, () => {
  const result = run(join(project, 'node_modules/.bin/tanuki'), [], { cwd: project });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /a command is required/);
  assert.match(result.stderr, /usage:\s+tanuki train/);
});
