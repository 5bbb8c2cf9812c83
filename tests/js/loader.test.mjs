// Where load() finds the WebAssembly module: next to the package by default,
// or wherever `baseUrl` / `locateFile` say (CDNs, bundlers, custom servers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import tanuki from 'tanuki';

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
  const tk = await tanuki.load({ locateFile: (file) => (asked.push(file), new URL(file, dist).href) });
  await works(tk);
  assert.deepEqual([...new Set(asked)].sort(), ['tanuki.mjs', 'tanuki.wasm']);
});

test('a wrong baseUrl fails the load', async () => {
  await assert.rejects(tanuki.load({ baseUrl: new URL('../../no-such-folder/', import.meta.url).href }));
});
