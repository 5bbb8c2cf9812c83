// Walks the layer registry from JavaScript: every class the core registers
// has its tk.layers factory and its index.d.ts entry, every layer file's
// registration is listed, and each registered example matches TF.js where
// TF.js has the layer. A new layer is covered with no edit here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromKerasConfig } from '../../wasm/js/config.js';
import { factoryName } from '../../wasm/js/layers.js';
import { loadTanuki } from './helpers.mjs';
import { maxRelativeDifference, tf, tfl } from './tfjs_reference.mjs';

const tk = await loadTanuki();
const registered = JSON.parse(tk.core.supportedLayers());
const examples = JSON.parse(tk.core.layerExamples());

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.cpp') ? [join(dir, e.name)] : [],
  );
}

test('every layer file that defines a registration is in the registry', () => {
  const defined = sourceFiles('core/layers').flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/^LayerRegistration registration<(\w+)>\(\)/gm)].map((m) => m[1]),
  );
  assert.ok(defined.length > 0);
  assert.deepEqual([...defined].sort(), [...registered].sort(), 'a layer is missing from the list in core/layers/registry.cpp');
});

test('every registered layer has a tk.layers factory and an index.d.ts entry', () => {
  assert.deepEqual([...new Set(examples.map((e) => e.className))], registered, 'every registered layer has an example');
  const dts = readFileSync('wasm/js/index.d.ts', 'utf8');
  const block = dts.slice(dts.indexOf('export interface LayerFactories {'));
  const declared = new Set([...block.slice(0, block.indexOf('\n}')).matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]));
  for (const className of registered) {
    const name = factoryName(className);
    assert.equal(typeof tk.layers[name], 'function', `tk.layers.${name} (for ${className}) is missing`);
    assert.ok(declared.has(name), `index.d.ts's LayerFactories lacks ${name} (for ${className})`);
    assert.equal(tk.layers[name]({ ...fromKerasConfig(examples.find((e) => e.className === className).config) }).getClassName(), className);
  }
});

// Weights shifted off their initial values (zeros and ones are not special),
// variances kept positive; shared with TF.js by weight name.
function shiftedWeights(layer) {
  return layer.weights.map((w, i) => {
    const values = layer.getWeights()[i].dataSync().map((v) => v + 0.1 + 0.4 * Math.random());
    return { name: w.name.slice(w.name.lastIndexOf('/') + 1), shape: w.shape, values };
  });
}

for (const [index, example] of examples.entries()) {
  const name = factoryName(example.className);
  // An InputLayer is where a TF.js graph starts, not a layer it applies to tensors.
  const skip =
    typeof tfl.layers[name] !== 'function' ? 'TF.js lacks the layer' : example.className === 'InputLayer' && 'TF.js does not apply an InputLayer to tensors';
  test(`${example.className} example ${index} matches TF.js (inference)`, { skip }, (t) => {
    const options = fromKerasConfig(example.config);
    const theirs = tfl.layers[name]({ ...options });
    // TF.js leaves out some Keras options (ReLU's threshold and negative_slope).
    const unknown = Object.keys(options).filter((key) => !(key in theirs.getConfig()));
    if (unknown.length > 0) return t.skip(`TF.js's ${name} lacks ${unknown.join(', ')}`);
    const ours = tk.layers[name]({ ...options });
    tk.setSeed(index + 1);
    const xs = example.inputShapes.map((shape) => tk.randomUniform(shape, -1, 1));
    const txs = xs.map((x) => tf.tensor(x.dataSync(), x.shape));
    const one = (list) => (list.length === 1 ? list[0] : list);
    ours.apply(one(xs));
    theirs.apply(one(txs));
    const weights = shiftedWeights(ours);
    ours.setWeights(weights.map((w) => tk.tensor(w.values, w.shape)));
    const byName = new Map(weights.map((w) => [w.name, w]));
    theirs.setWeights(
      theirs.weights.map((w) => tf.tensor(byName.get(w.originalName.slice(w.originalName.lastIndexOf('/') + 1)).values, w.shape)),
    );
    const actual = ours.apply(one(xs)).dataSync();
    const expected = theirs.apply(one(txs)).dataSync();
    assert.equal(actual.length, expected.length);
    const diff = maxRelativeDifference(actual, expected);
    assert.ok(diff <= 1e-4, `output differs by ${diff}`);
  });
}
