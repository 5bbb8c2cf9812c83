// ONNX import checked against oracles written elsewhere: ONNX Runtime on
// models that onnx.helper (python3-onnx) writes at test time, and the ONNX
// project's own per-op test cases (Debian's libonnx-testdata).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import tanuki from 'tanuki';
import { findOnnxPython, nchwToNhwc, nhwcToNchw, maxAbsDifference, randomImages } from './onnx/onnx_helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// Single-threaded: the import is what is checked here, not the kernels' threading.
const tk = await tanuki.load({ threads: false });
const { FormatError } = tk.errors;
const TOLERANCE = 1e-4;
const TESTDATA = '/usr/share/libonnx-testdata/data';

const python = findOnnxPython();
const skipModels = python ? false : 'python3 with the onnx module is missing (Debian package python3-onnx)';
let modelDir;
let manifest = {};
if (python) {
  modelDir = await mkdtemp(join(tmpdir(), 'tanuki-onnx-'));
  execFileSync(python, [join(here, 'onnx/make_models.py'), modelDir]);
  manifest = JSON.parse(await readFile(join(modelDir, 'models.json'), 'utf8'));
}

async function runOrt(path, nchw, dims) {
  // Graph optimizations off: ONNX Runtime's pad fusion folds a zero Pad into a
  // following MaxPool's pads, which MaxPool fills with -inf, so its optimized
  // answer differs from the ONNX definition when the padded values are negative.
  const session = await ort.InferenceSession.create(path, { graphOptimizationLevel: 'disabled', logSeverityLevel: 3 });
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', nchw, dims) });
  return result[session.outputNames[0]].data;
}

async function compareWithOrt(name, options = {}) {
  const spec = manifest[name];
  const [h, w, c] = spec.inputShape;
  const nhwc = randomImages(2, h, w, c, 11);
  const expected = await runOrt(join(modelDir, `${name}.onnx`), nhwcToNchw(nhwc, 2, h, w, c), [2, c, h, w]);
  const model = await tk.loadOnnxModel(join(modelDir, `${name}.onnx`), { inputShape: spec.dynamic ? spec.inputShape : undefined, ...options });
  const actual = model.predict(tk.tensor(nhwc, [2, h, w, c])).dataSync();
  assert.equal(actual.length, expected.length, `${name}: output sizes`);
  const diff = maxAbsDifference(actual, expected);
  assert.ok(diff <= TOLERANCE, `${name}: max |Tanuki - ONNX Runtime| = ${diff}`);
  return model;
}

test('python3-onnx models at several opsets match ONNX Runtime', { skip: skipModels }, async () => {
  const names = Object.keys(manifest).filter((n) => !manifest[n].unsupported && !manifest[n].externalData);
  assert.ok(names.length >= 15);
  for (const name of names) await compareWithOrt(name);
});

test('an imported MobileNet is an ordinary functional model with Keras semantics', { skip: skipModels }, async () => {
  const model = await compareWithOrt('mobilenet_v1_opset13');
  const classes = model.layers.map((l) => l.getClassName());
  for (const c of ['InputLayer', 'Conv2D', 'DepthwiseConv2D', 'BatchNormalization', 'ReLU', 'GlobalAveragePooling2D', 'Dense', 'Softmax']) assert.ok(classes.includes(c), c);
  assert.deepEqual(model.inputs[0].shape, [null, 32, 32, 3]);
  const bn = model.layers.find((l) => l.getClassName() === 'BatchNormalization');
  assert.deepEqual(bn.weights.map((v) => v.name.split('/').pop()), ['gamma', 'beta', 'moving_mean', 'moving_variance']);
  assert.equal(bn.trainableWeights.length, 2);
  assert.ok(model.getLayer(bn.name));
  model.trainable = false;
  assert.equal(model.trainableWeights.length, 0);
  model.trainable = true;
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  const history = await model.fit(randomImages(4, 32, 32, 3, 3, tk), tk.tensor(Float32Array.from([0, 1, 2, 3]), [4]), { epochs: 1, batchSize: 4 });
  assert.ok(Number.isFinite(history.history.loss[0]));
});

test('a squeeze-excite block imports: its gate [N, C, 1, 1] multiplies the feature map through a broadcasting Multiply', { skip: skipModels }, async () => {
  for (const name of ['squeeze_excite_opset13', 'squeeze_excite_reduce_mean_opset17']) {
    const model = await compareWithOrt(name);
    const classes = model.layers.map((l) => l.getClassName());
    assert.equal(classes.filter((c) => c === 'Multiply').length, 2, name);
    // It trains: the gradients flow back through the broadcast into the gate's convolutions.
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const history = await model.fit(randomImages(2, 32, 32, 3, 3, tk), tk.tensor(Float32Array.from([1, 0, 0, 0, 1, 0]), [2, 3]), { epochs: 1, batchSize: 2 });
    assert.ok(Number.isFinite(history.history.loss[0]), name);
  }
});

test('an imported model saves in the layers format, which loadModel and TF.js read back', { skip: skipModels }, async () => {
  const tfc = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  const tf = await import('@tensorflow/tfjs-layers');
  for (const name of ['mobilenet_v3_opset14', 'squeeze_excite_opset13']) {
    const model = await tk.loadModel(join(modelDir, `${name}.onnx`));
    const x = tk.tensor(randomImages(2, 32, 32, 3, 5), [2, 32, 32, 3]);
    const before = model.predict(x).dataSync();
    const dir = join(await mkdtemp(join(tmpdir(), 'tanuki-onnx-saved-')), 'model');
    await model.save(dir);
    const again = await tk.loadModel(dir);
    assert.ok(maxAbsDifference(again.predict(x).dataSync(), before) <= 1e-6, name);
    const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    const weights = new Uint8Array(await readFile(join(dir, 'weights.bin'))).buffer;
    const tfModel = await tf.loadLayersModel(tfc.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: weights }));
    const tfOut = tfModel.predict(tfc.tensor(x.dataSync(), [2, 32, 32, 3])).dataSync();
    assert.ok(maxAbsDifference(tfOut, before) <= TOLERANCE, `${name}: TF.js vs Tanuki: ${maxAbsDifference(tfOut, before)}`);
  }
});

test('loadModel recognises the format by content', { skip: skipModels }, async () => {
  const bytes = await readFile(join(modelDir, 'reduce_mean_opset13.onnx'));
  const fromBytes = await tk.loadModel(new Uint8Array(bytes));
  assert.deepEqual(fromBytes.outputs[0].shape, [null, 3]);
  // A graph model goes to the graph-model importer (tests/js/graph_model.test.mjs), which finds no input here.
  const graphModel = new TextEncoder().encode(JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }));
  await assert.rejects(tk.loadModel(graphModel), (e) => e instanceof FormatError && /graph model/.test(e.message));
  await assert.rejects(tk.loadModel(new Uint8Array([1, 2, 3])), FormatError);
});

test('unsupported ops, dynamic shapes and external data are refused with messages that say what to do', { skip: skipModels }, async () => {
  await assert.rejects(tk.loadOnnxModel(join(modelDir, 'unsupported_lrn.onnx')), (e) =>
    e instanceof FormatError && /'LRN'/.test(e.message) && /node 'lrn_\d+'/.test(e.message) && /opset 13/.test(e.message));
  await assert.rejects(tk.loadOnnxModel(join(modelDir, 'unsupported_broadcast.onnx')), (e) =>
    e instanceof FormatError && /node 'mul_\d+'/.test(e.message) && /\[N, 4, 16, 16\] and \[N, 4\]/.test(e.message) && /one rank/.test(e.message));
  await assert.rejects(tk.loadOnnxModel(join(modelDir, 'dynamic_hw.onnx')), (e) => e instanceof FormatError && /inputShape/.test(e.message));
  await assert.rejects(tk.loadOnnxModel(join(modelDir, 'external.onnx')), (e) =>
    e instanceof FormatError && /external\.bin/.test(e.message) && /externalData/.test(e.message));
  const externalData = { 'external.bin': await readFile(join(modelDir, 'external.bin')) };
  await compareWithOrt('external', { externalData });
});

// --- ONNX's own test cases ---------------------------------------------------------
const SUPPORTED = ['Add', 'AveragePool', 'BatchNormalization', 'Cast', 'Clip', 'Concat', 'Constant', 'ConstantOfShape', 'Conv', 'Div', 'Dropout',
  'Elu', 'Flatten', 'Gather', 'Gemm', 'GlobalAveragePool', 'GlobalMaxPool', 'HardSigmoid', 'HardSwish', 'Identity', 'LeakyRelu', 'MatMul',
  'MaxPool', 'Mul', 'Pad', 'ReduceMean', 'Relu', 'Reshape', 'Shape', 'Sigmoid', 'Slice', 'Softmax', 'Softplus', 'Softsign', 'Squeeze', 'Sub',
  'Tanh', 'Transpose', 'Unsqueeze'];
const skipTestdata = !python ? skipModels : existsSync(TESTDATA) ? false : 'ONNX test data is missing (Debian package libonnx-testdata)';

// The importer's rule: a 4-D input is NCHW unless only its last dimension looks like channels.
const isChannelsFirst = (dims) => dims.length === 4 && !([1, 3, 4].includes(dims[3]) && ![1, 3, 4].includes(dims[1]));

test("every libonnx-testdata case of a supported op: Tanuki's output, or a FormatError", { skip: skipTestdata }, async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'tanuki-onnx-cases-')), 'cases.json');
  execFileSync(python, [join(here, 'onnx/dump_testdata.py'), TESTDATA, out, ...SUPPORTED], { maxBuffer: 1 << 28 });
  const cases = JSON.parse(await readFile(out, 'utf8'));
  const passed = [], refused = [];
  for (const c of cases) {
    let model;
    try {
      model = await tk.loadOnnxModel(c.model);
    } catch (error) {
      assert.ok(error instanceof FormatError, `${c.name}: ${error.constructor.name}: ${error.message}`);
      refused.push(`${c.name}: ${error.message}`);
      continue;
    }
    const transposed = isChannelsFirst(c.inputs[0].dims);
    const inputs = c.inputs.map((t) => {
      const values = Float32Array.from(t.values, Number);
      if (!isChannelsFirst(t.dims)) return tk.tensor(values, t.dims);
      const [n, ch, h, w] = t.dims;
      return tk.tensor(nchwToNhwc(values, n, ch, h, w), [n, h, w, ch]);
    });
    const result = model.apply(inputs.length === 1 ? inputs[0] : inputs);
    const expected = c.outputs[0];
    let want = Float32Array.from(expected.values, Number);
    if (transposed && expected.dims.length === 4) want = nchwToNhwc(want, ...expected.dims);
    const got = result.dataSync();
    assert.equal(got.length, want.length, `${c.name}: output sizes`);
    const diff = maxAbsDifference(got, want);
    assert.ok(diff <= TOLERANCE, `${c.name}: max |Tanuki - expected| = ${diff}`);
    passed.push(c.name);
  }
  console.log(`libonnx-testdata: ${passed.length} cases match, ${refused.length} refused with a FormatError:\n  ${refused.join('\n  ')}`);
  assert.ok(passed.length >= 40, `only ${passed.length} cases ran`);
});
