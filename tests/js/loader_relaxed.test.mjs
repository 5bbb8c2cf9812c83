// The relaxed-SIMD build (dist/wasm/tanuki-relaxed.*) is chosen by feature
// detection: an engine without relaxed SIMD (Node 20 as started by default)
// gets the plain build, and one with it (Node with
// --experimental-wasm-relaxed-simd) the relaxed build, whose results agree
// with the plain build's to float rounding.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import tanuki from 'tanuki';
import { hasRelaxedSimd } from '../../wasm/js/loader.js';

const index = fileURLToPath(new URL('../../wasm/js/index.js', import.meta.url));

// A small network over both kinds of relaxed kernel (the GEMM under Conv2D
// and Dense, the depthwise kernels) and its training step; prints what load()
// chose and the predictions.
const script = (loadOptions) => `
  const { default: tanuki } = await import(${JSON.stringify(index)});
  const tk = await tanuki.load(${JSON.stringify(loadOptions)});
  tk.setSeed(7);
  const input = tk.input({ shape: [16, 16, 3] });
  let x = tk.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same' }).apply(input);
  x = tk.layers.reLU({ maxValue: 6 }).apply(x);
  x = tk.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same' }).apply(x);
  x = tk.layers.conv2d({ filters: 32, kernelSize: 1 }).apply(x);
  x = tk.layers.globalAveragePooling2d().apply(x);
  const model = tk.model({ inputs: input, outputs: tk.layers.dense({ units: 3, activation: 'softmax' }).apply(x) });
  const images = tk.randomUniform([8, 16, 16, 3]);
  const predictions = Array.from(model.predict(images).dataSync());
  console.log(JSON.stringify({ simd: tk.simd, threads: tk.threads, predictions }));`;

function run(flags, loadOptions) {
  const child = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script(loadOptions)], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return { ...JSON.parse(child.stdout.trim().split('\n').at(-1)), stderr: child.stderr };
}

const RELAXED = ['--experimental-wasm-relaxed-simd'];

test('an engine without relaxed SIMD falls back to the plain build, silently', { skip: hasRelaxedSimd() && 'this Node has relaxed SIMD on by default' }, async () => {
  const plain = run([], { threads: false });
  assert.equal(plain.simd, 'plain');
  assert.equal(plain.stderr, '', 'no warning: nothing failed');
  assert.equal((await tanuki.load({ threads: false })).simd, 'plain');
  await assert.rejects(tanuki.load({ simd: 'relaxed' }), /simd: 'relaxed' needs an engine with relaxed SIMD/);
});

test('with relaxed SIMD, one thread gets the relaxed build; it agrees with the plain build', () => {
  const relaxed = run(RELAXED, { threads: false });
  assert.equal(relaxed.simd, 'relaxed');
  assert.equal(relaxed.threads, 1);
  assert.equal(run(RELAXED, { simd: 'relaxed' }).simd, 'relaxed', "simd: 'relaxed' with threads left to 'auto' is single-threaded");
  const plain = run(RELAXED, { threads: false, simd: 'plain' });
  assert.equal(plain.simd, 'plain');
  assert.equal(relaxed.predictions.length, plain.predictions.length);
  // Softmax outputs in [0, 1]: a fused multiply-add rounds once where the
  // plain build rounds twice, so they differ by a few float ulps, no more.
  const worst = Math.max(...relaxed.predictions.map((p, i) => Math.abs(p - plain.predictions[i])));
  assert.ok(worst <= 1e-5, `worst difference ${worst}`);
});

test('threads stay with the plain threaded build; options are checked', async () => {
  assert.equal(run(RELAXED, { threads: 2 }).simd, 'plain', 'there is no threaded relaxed build');
  await assert.rejects(tanuki.load({ simd: 'fast' }), /simd must be 'auto', 'relaxed' or 'plain'/);
  const both = spawnSync(process.execPath, [...RELAXED, '--input-type=module', '-e',
    `const { default: tanuki } = await import(${JSON.stringify(index)}); await tanuki.load({ simd: 'relaxed', threads: 2 });`], { encoding: 'utf8' });
  assert.notEqual(both.status, 0);
  assert.match(both.stderr, /simd: 'relaxed' is single-threaded/);
});
