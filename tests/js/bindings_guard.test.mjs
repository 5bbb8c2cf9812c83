// No binding escapes the guard: everything Embind exposes was registered
// through the guarded helpers of wasm/bindings/bind.h (the core's own list,
// guardedBindings(), names it) and is wrapped by guardCore, so an error
// raised in any of them is thrown, typed, by the call that raised it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindingsOf, guardCore, StateError, ValueError } from '../../wasm/js/errors.js';
import { instantiate } from '../../wasm/js/loader.js';

for (const threads of [false, 2]) {
  test(`every binding is registered guarded and wrapped by guardCore (threads: ${threads})`, async () => {
    const core = await instantiate({ threads });
    const registered = JSON.parse(core.guardedBindings());
    // name ("function", "Class", "Class.method") -> where it lives and what it was before guardCore.
    const bindings = bindingsOf(core).map((b) => ({ ...b, raw: b.owner[b.key] }));
    const names = bindings.map((b) => b.name);
    assert.ok(names.length > 100, `only ${names.length} bindings found`);
    assert.deepEqual(names.filter((name) => !registered.includes(name)), [], 'bound without the C++ guard');
    assert.deepEqual(registered.filter((name) => !names.includes(name)), [], 'registered but not found on the module');
    guardCore(core);
    assert.deepEqual(bindings.filter((b) => b.owner[b.key] === b.raw).map((b) => b.name), [], 'not wrapped by guardCore');
  });
}

test('an error raised in a binding is thrown by that call, typed, and leaves nothing for the next call', async () => {
  const core = guardCore(await instantiate({ threads: false }));
  const raisesOnce = (call, ErrorClass, message) => {
    assert.throws(call, (e) => e instanceof ErrorClass && message.test(e.message));
    assert.equal(core.takeLastError(), '');
  };
  // A free function returning a value, and one returning nothing.
  raisesOnce(() => core.createLayer('NoSuchLayer', '{}'), ValueError, /NoSuchLayer/);
  const model = core.makeSequential('m');
  raisesOnce(() => core.compileModel(model, null, null, 'not json'), ValueError, /metrics is not valid JSON/);
  // Class methods, one returning a value and one returning nothing.
  const tensor = core.makeTensor('[2, 3]');
  raisesOnce(() => tensor.reshape('[7]'), ValueError, /./);
  const layer = core.createLayer('Dense', '{"units": 2}');
  layer.build('[[null, 3]]');
  const empty = new core.TensorVector();
  raisesOnce(() => layer.setWeights(empty), ValueError, /./);
  // A list type's methods, and a method whose body throws a standard exception.
  raisesOnce(() => empty.get(0), ValueError, /index 0 is out of range for a list of 0/);
  const loss = core.createLoss('meanSquaredError', '{}');
  const x = core.makeTensor('[1, 3]');
  const y = core.makeTensor('[1, 2]');
  const dense = core.makeSequential('d');
  dense.add(layer);
  const result = core.computeGradients(dense, x, y, loss, true);
  raisesOnce(() => result.variable(99), StateError, /./);
  // The next call is unaffected.
  assert.equal(typeof core.supportedLayers(), 'string');
  for (const handle of [model, tensor, layer, empty, loss, x, y, dense, result]) handle.delete();
});
