// A user's script that fails must fail as it would without Tanuki: Node's own
// report of the user's error and exit status 1, in both builds. Tanuki adds no
// process-wide handlers (the threaded glue used to, and rethrew from its own
// minified code: a page of glue on stderr and exit status 7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const packageUrl = new URL('../../wasm/js/index.js', import.meta.url).href;

function runScript(body) {
  const script = `import tanuki from ${JSON.stringify(packageUrl)};\n${body}`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    timeout: 120_000,
  });
}

// Node's report of an uncaught error quotes the source line it came from; a
// throw from inside the glue quoted the whole minified module.
function assertUsersErrorOnly(result, message) {
  assert.equal(result.status, 1, `exit status (stderr: ${result.stderr.slice(0, 500)})`);
  assert.match(result.stderr, new RegExp(message));
  assert.ok(result.stderr.length < 4000, `stderr is ${result.stderr.length} characters: ${result.stderr.slice(0, 300)}`);
  assert.doesNotMatch(result.stderr, /createTanukiModule|wasmBinary|PThread/);
}

for (const threads of ['auto', false]) {
  const build = threads === false ? 'single-threaded build' : 'threaded build';
  const load = `const tk = await tanuki.load({ threads: ${JSON.stringify(threads)} });`;

  test(`${build}: loading installs no process-wide handler`, () => {
    const result = runScript(`${load}
      const counts = ['uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e));
      console.log(JSON.stringify({ counts, threads: tk.threads }));`);
    assert.equal(result.status, 0, result.stderr);
    const { counts, threads: count } = JSON.parse(result.stdout.trim());
    assert.deepEqual(counts, [0, 0]);
    if (threads === false) assert.equal(count, 1);
  });

  test(`${build}: an error thrown in a fit() callback prints as the user's error and exits 1`, () => {
    const result = runScript(`${load}
      const model = tk.sequential({ layers: [tk.layers.dense({ units: 1, inputShape: [2] })] });
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const x = tk.tensor([1, 2, 3, 4], [2, 2]);
      const y = tk.tensor([1, 0], [2, 1]);
      await model.fit(x, y, { epochs: 2, callbacks: { onEpochEnd() { throw new Error('user callback failed on purpose'); } } });`);
    assertUsersErrorOnly(result, 'user callback failed on purpose');
  });

  test(`${build}: a rejected promise prints as the user's error and exits 1`, () => {
    const result = runScript(`${load}
      Promise.reject(new RangeError('user promise rejected on purpose'));
      await new Promise((resolve) => setTimeout(resolve, 100));`);
    assertUsersErrorOnly(result, 'RangeError: user promise rejected on purpose');
  });

  test(`${build}: an uncaught Tanuki error keeps its class and message and exits 1`, () => {
    const result = runScript(`${load}
      tk.layers.dense({ units: -3 });`);
    assertUsersErrorOnly(result, 'ValueError');
  });
}
