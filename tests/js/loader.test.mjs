// Where load() finds the WebAssembly module: next to the package by default,
// or wherever `baseUrl` / `locateFile` say (CDNs, bundlers, custom servers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { availableParallelism } from 'node:os';
import tanuki, { FormatError, OutOfMemoryError, ValueError } from 'tanuki';

const dist = new URL('../../dist/wasm/', import.meta.url);

async function works(tk) {
  const t = tk.tensor([1, 2, 3]);
  assert.deepEqual(Array.from(t.dataSync()), [1, 2, 3]);
}

test('load() finds the module next to the package by default', async () => {
  await works(await tanuki.load());
});

test('baseUrl names the folder holding tanuki.mjs and tanuki.wasm', async () => {
  await works(await tanuki.load({ baseUrl: dist.href }));
});

test('locateFile is asked for each file', async () => {
  const asked = [];
  const tk = await tanuki.load({ threads: false, locateFile: (file) => (asked.push(file), new URL(file, dist).href) });
  await works(tk);
  assert.deepEqual([...new Set(asked)].sort(), ['tanuki.mjs', 'tanuki.wasm']);
});

test('a wrong baseUrl fails the load', async () => {
  await assert.rejects(tanuki.load({ baseUrl: new URL('../../no-such-folder/', import.meta.url).href }));
});

test('in Node the threaded build is the default, one thread per core; threads: false is single-threaded', async () => {
  assert.equal((await tanuki.load()).threads, Math.min(16, availableParallelism()));
  assert.equal((await tanuki.load({ threads: false })).threads, 1);
  assert.equal((await tanuki.load({ threads: 2 })).threads, 2);
  await assert.rejects(tanuki.load({ threads: 0 }), /threads must be 'auto', false or a positive integer/);
});

test('both builds give the same predictions and the same typed errors', async () => {
  const outputs = [];
  for (const threads of [false, 2]) {
    const tk = await tanuki.load({ threads });
    tk.setSeed(7);
    const input = tk.input({ shape: [16, 16, 3] });
    let x = tk.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(input);
    x = tk.layers.batchNormalization().apply(x);
    x = tk.layers.reLU({ maxValue: 6 }).apply(x);
    x = tk.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same' }).apply(x);
    x = tk.layers.globalAveragePooling2d().apply(x);
    const model = tk.model({ inputs: input, outputs: tk.layers.dense({ units: 3, activation: 'softmax' }).apply(x) });
    outputs.push(Array.from(model.predict(tk.randomUniform([4, 16, 16, 3])).dataSync()));

    // Errors raised deep in the core keep their class in both builds.
    assert.throws(() => tk.layers.dense({ units: -1 }), ValueError);
    assert.throws(() => model.predict(tk.zeros([1, 8, 8, 4])), ValueError);
    await assert.rejects(tk.loadLayersModel(new URL('./no-such-model/', import.meta.url).pathname), FormatError);
    assert.throws(() => tk.zeros([50000, 50000]), OutOfMemoryError);
    assert.equal(model.predict(tk.zeros([1, 16, 16, 3])).shape.join(), '1,3'); // still working
  }
  assert.deepEqual(outputs[1], outputs[0]);
});

test('an engine without WebAssembly SIMD is told so by name before anything loads', async () => {
  const { checkEngine } = await import('../../wasm/js/loader.js');
  assert.doesNotThrow(checkEngine, 'Node has SIMD');
  // An engine that rejects the SIMD instructions, as browsers before SIMD do.
  const validate = WebAssembly.validate;
  WebAssembly.validate = () => false;
  try {
    assert.throws(checkEngine, /no WebAssembly SIMD, which Tanuki needs \(.*Safari 16\.4/);
    await assert.rejects(tanuki.load(), /no WebAssembly SIMD/);
  } finally {
    WebAssembly.validate = validate;
  }
});
