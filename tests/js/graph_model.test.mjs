// TF.js graph-model import checked against TF.js's own graph executor
// (@tensorflow/tfjs-converter): the TF-Hub MobileNetV1 graph model, nsfwjs's
// quantized MobileNetV2 graph model (fused ops), and small graphs written
// here that exercise each supported op.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as converter from '@tensorflow/tfjs-converter';
import tanuki from 'tanuki';
import { decodeNsfwjsModel } from '../../scripts/nsfwjs_model.mjs';
import { maxAbsDifference, randomImages } from './onnx/onnx_helpers.mjs';
import { loadTfjsModel, tf } from './tfjs_reference.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Single-threaded: the import is what is checked here, not the kernels' threading.
const tk = await tanuki.load({ threads: false });
const { FormatError } = tk.errors;
const TOLERANCE = 1e-4;

const V1_DIR = fileURLToPath(new URL('../../../shared/models/mobilenet_v1_0.25_224/imagenet/', import.meta.url));
const skipV1 = existsSync(join(V1_DIR, 'model.json')) ? false : 'the shared MobileNetV1 graph model is absent';
const mid = decodeNsfwjsModel(root, 'mobilenet_v2_mid');

async function readArtifacts(dir) {
  const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  const parts = [];
  for (const group of modelJson.weightsManifest) for (const p of group.paths) parts.push(await readFile(join(dir, p)));
  return { modelJson, weightData: new Uint8Array(Buffer.concat(parts)) };
}

/** The TF.js graph executor's output for NHWC values. */
async function tfjsPredict({ modelJson, weightData }, values, shape) {
  const model = await converter.loadGraphModel(
    tf.io.fromMemory({
      ...modelJson,
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
    }),
  );
  const out = model.predict(tf.tensor(values, shape));
  const data = out.dataSync();
  out.dispose();
  model.dispose();
  return data;
}

async function compare(artifacts, inputShape, options = {}) {
  const shape = [2, ...inputShape];
  const values = randomImages(2, ...inputShape, 7);
  const model = await tk.loadGraphModel(artifacts, options);
  const actual = model.predict(tk.tensor(values, shape)).dataSync();
  const expected = await tfjsPredict(artifacts, values, shape);
  assert.equal(actual.length, expected.length, 'output sizes');
  const diff = maxAbsDifference(actual, expected);
  assert.ok(diff <= TOLERANCE, `max |Tanuki - TF.js graph executor| = ${diff}`);
  return model;
}

// --- small graphs written here ---------------------------------------------------------
const b64 = (s) => Buffer.from(s).toString('base64');
const attr = {
  s: (v) => ({ s: b64(v) }),
  ints: (v) => ({ list: { i: v.map(String) } }),
  strings: (v) => ({ list: { s: v.map(b64) } }),
  f: (v) => ({ f: v }),
  b: (v) => ({ b: v }),
  i: (v) => ({ i: String(v) }),
  float: { type: 'DT_FLOAT' },
};

/** A seeded pseudo-random constant. */
function constant(shape, seed, scale = 0.5, dtype = 'float32') {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    values[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return { shape, values, dtype };
}
const ints = (values) => ({ shape: [values.length], values: Int32Array.from(values), dtype: 'int32' });
const scalar = (v) => ({ shape: [], values: Float32Array.of(v), dtype: 'float32' });

/** Graph-model artifacts: a Placeholder 'x' (-1: a dynamic dimension), the constants in the manifest, then the nodes. */
function graphModel(inputShape, consts, nodes) {
  const constNodes = Object.entries(consts).map(([name, c]) => ({
    name, op: 'Const', attr: { dtype: { type: c.dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT' }, value: { tensor: { dtype: c.dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT', tensorShape: { dim: c.shape.map((d) => ({ size: String(d) })) } } } },
  }));
  const placeholder = { name: 'x', op: 'Placeholder', attr: { dtype: attr.float, shape: { shape: { dim: [-1, ...inputShape].map((d) => ({ size: String(d) })) } } } };
  const weightData = Buffer.concat(Object.values(consts).map((c) => Buffer.from(c.values.buffer)));
  return {
    modelJson: {
      format: 'graph-model',
      modelTopology: { node: [placeholder, ...constNodes, ...nodes.map((n) => ({ attr: { T: attr.float }, ...n }))], versions: { producer: 175 } },
      weightsManifest: [{ paths: [], weights: Object.entries(consts).map(([name, c]) => ({ name, shape: c.shape, dtype: c.dtype })) }],
    },
    weightData: new Uint8Array(weightData),
  };
}

// Image ops: scaling, explicit padding, fused convolutions with activations,
// a folded BatchNorm (Mul/Add per channel), hard-swish and swish, pooling,
// Pad, ConcatV2, Mean, MatMul.
const imageGraph = (inputShape = [8, 8, 3]) => graphModel(inputShape, {
  scale: scalar(1 / 127.5), offset: scalar(1), three: scalar(3), sixth: scalar(1 / 6),
  k1: constant([3, 3, 3, 8], 1), b1: constant([8], 2), kd: constant([3, 3, 8, 2], 3), bd: constant([16], 4),
  bnScale: constant([16], 5, 1), bnOffset: constant([16], 6), k2: constant([1, 1, 16, 8], 7), b2: constant([8], 8),
  paddings: { ...ints([0, 0, 1, 0, 0, 1, 0, 0]), shape: [4, 2] }, k3: constant([2, 2, 16, 8], 9), ch: constant([8], 10, 1), axis: ints([-1]),
  axes: ints([1, 2]), w1: constant([16, 6], 11), bw1: constant([6], 12), w2: constant([5, 6], 13), bw2: constant([5], 14),
}, [
  { name: 'pre/Mul', op: 'Mul', input: ['x', 'scale'] },
  { name: 'pre/Sub', op: 'Sub', input: ['pre/Mul', 'offset'] },
  { name: 'conv1', op: '_FusedConv2D', input: ['pre/Sub', 'k1', 'b1'], attr: { T: attr.float, strides: attr.ints([1, 1, 1, 1]), padding: attr.s('EXPLICIT'), explicit_paddings: attr.ints([0, 0, 1, 1, 1, 1, 0, 0]), data_format: attr.s('NHWC'), dilations: attr.ints([1, 1, 1, 1]), fused_ops: attr.strings(['BiasAdd', 'LeakyRelu']), num_args: attr.i(1), leakyrelu_alpha: attr.f(0.1), epsilon: attr.f(0) } },
  { name: 'dw', op: 'DepthwiseConv2dNative', input: ['conv1', 'kd'], attr: { T: attr.float, strides: attr.ints([1, 2, 2, 1]), padding: attr.s('SAME'), data_format: attr.s('NHWC'), dilations: attr.ints([1, 1, 1, 1]) } },
  { name: 'dw/bias', op: 'BiasAdd', input: ['dw', 'bd'], attr: { T: attr.float, data_format: attr.s('NHWC') } },
  { name: 'bn/mul', op: 'Mul', input: ['dw/bias', 'bnScale'] },
  { name: 'bn/add', op: 'AddV2', input: ['bn/mul', 'bnOffset'] },
  { name: 'hs/add', op: 'AddV2', input: ['bn/add', 'three'] },
  { name: 'hs/relu6', op: 'Relu6', input: ['hs/add'] },
  { name: 'hs/mul', op: 'Mul', input: ['bn/add', 'hs/relu6'] },
  { name: 'hs/div', op: 'Mul', input: ['hs/mul', 'sixth'] },
  { name: 'branch1/conv', op: 'Conv2D', input: ['hs/div', 'k2'], attr: { T: attr.float, strides: attr.ints([1, 1, 1, 1]), padding: attr.s('VALID'), data_format: attr.s('NHWC'), dilations: attr.ints([1, 1, 1, 1]) } },
  { name: 'branch1/bias', op: 'Add', input: ['branch1/conv', 'b2'] },
  { name: 'branch1/sigmoid', op: 'Sigmoid', input: ['branch1/bias'] },
  { name: 'branch1/swish', op: 'Mul', input: ['branch1/bias', 'branch1/sigmoid'] },
  { name: 'branch2/pad', op: 'Pad', input: ['hs/div', 'paddings'] },
  { name: 'branch2/conv', op: 'Conv2D', input: ['branch2/pad', 'k3'], attr: { T: attr.float, strides: attr.ints([1, 1, 1, 1]), padding: attr.s('VALID'), data_format: attr.s('NHWC'), dilations: attr.ints([1, 1, 1, 1]) } },
  { name: 'branch2/tanh', op: 'Tanh', input: ['branch2/conv'] },
  { name: 'branch2/scale', op: 'Mul', input: ['branch2/tanh', 'ch'] },
  { name: 'branch2/pool', op: 'MaxPool', input: ['branch2/scale'], attr: { T: attr.float, ksize: attr.ints([1, 3, 3, 1]), strides: attr.ints([1, 1, 1, 1]), padding: attr.s('SAME'), data_format: attr.s('NHWC') } },
  { name: 'concat', op: 'ConcatV2', input: ['branch1/swish', 'branch2/pool', 'axis'], attr: { T: attr.float, N: attr.i(2), Tidx: { type: 'DT_INT32' } } },
  { name: 'pool', op: 'Mean', input: ['concat', 'axes'], attr: { T: attr.float, keep_dims: attr.b(false), Tidx: { type: 'DT_INT32' } } },
  { name: 'fc1', op: 'MatMul', input: ['pool', 'w1'], attr: { T: attr.float, transpose_a: attr.b(false), transpose_b: attr.b(false) } },
  { name: 'fc1/bias', op: 'BiasAdd', input: ['fc1', 'bw1'], attr: { T: attr.float, data_format: attr.s('NHWC') } },
  { name: 'fc1/relu', op: 'Relu', input: ['fc1/bias'] },
  { name: 'fc2', op: '_FusedMatMul', input: ['fc1/relu', 'w2', 'bw2'], attr: { T: attr.float, transpose_a: attr.b(false), transpose_b: attr.b(true), fused_ops: attr.strings(['BiasAdd']), num_args: attr.i(1), epsilon: attr.f(0) } },
  { name: 'probabilities', op: 'Softmax', input: ['fc2'] },
]);

// Shape ops and the rest: AvgPool, FusedBatchNormV3, Elu, RealDiv, Sub of
// tensors, Reshape (flatten), Squeeze, Identity.
const shapeGraph = () => graphModel([6, 6, 4], {
  k: constant([3, 3, 4, 4], 21), bias: constant([4], 22), bnScale: constant([4], 23, 1), bnOffset: constant([4], 24),
  bnMean: constant([4], 25), bnVar: { shape: [4], values: Float32Array.of(0.5, 1, 1.5, 2), dtype: 'float32' }, two: scalar(2),
  flat: ints([-1, 36]), w: constant([36, 3], 26), image: ints([-1, 1, 1, 3]),
}, [
  { name: 'conv', op: '_FusedConv2D', input: ['x', 'k', 'bias'], attr: { T: attr.float, strides: attr.ints([1, 1, 1, 1]), padding: attr.s('SAME'), data_format: attr.s('NHWC'), dilations: attr.ints([1, 1, 1, 1]), fused_ops: attr.strings(['BiasAdd', 'Elu']), num_args: attr.i(1), epsilon: attr.f(0) } },
  { name: 'bn', op: 'FusedBatchNormV3', input: ['conv', 'bnScale', 'bnOffset', 'bnMean', 'bnVar'], attr: { T: attr.float, U: attr.float, epsilon: attr.f(0.001), is_training: attr.b(false), data_format: attr.s('NHWC') } },
  { name: 'half', op: 'RealDiv', input: ['bn', 'two'] },
  { name: 'diff', op: 'Sub', input: ['x', 'half'] },
  { name: 'avg', op: 'AvgPool', input: ['diff'], attr: { T: attr.float, ksize: attr.ints([1, 2, 2, 1]), strides: attr.ints([1, 2, 2, 1]), padding: attr.s('VALID'), data_format: attr.s('NHWC') } },
  { name: 'flatten', op: 'Reshape', input: ['avg', 'flat'], attr: { T: attr.float, Tshape: { type: 'DT_INT32' } } },
  { name: 'dense', op: 'MatMul', input: ['flatten', 'w'], attr: { T: attr.float, transpose_a: attr.b(false), transpose_b: attr.b(false) } },
  { name: 'as_image', op: 'Reshape', input: ['dense', 'image'], attr: { T: attr.float, Tshape: { type: 'DT_INT32' } } },
  { name: 'squeezed', op: 'Squeeze', input: ['as_image'], attr: { T: attr.float, squeeze_dims: attr.ints([1, 2]) } },
  { name: 'out', op: 'Identity', input: ['squeezed'] },
]);

// Squeeze-excite (MobileNetV3, EfficientNet): a gate [N, 1, 1, C] from the
// pooled feature map multiplies it; Mul, AddV2 and Sub of tensors that broadcast.
const conv1x1 = (name, input, kernel) => ({ name, op: 'Conv2D', input: [input, kernel], attr: { T: attr.float, strides: attr.ints([1, 1, 1, 1]), padding: attr.s('VALID'), data_format: attr.s('NHWC'), dilations: attr.ints([1, 1, 1, 1]) } });
const meanOf = (name, input, keepDims) => ({ name, op: 'Mean', input: [input, 'axes'], attr: { T: attr.float, keep_dims: attr.b(keepDims), Tidx: { type: 'DT_INT32' } } });
const squeezeExciteGraph = () => graphModel([8, 8, 3], {
  k: constant([3, 3, 3, 8], 31), b: constant([8], 32), axes: ints([1, 2]), three: scalar(3), sixth: scalar(1 / 6),
  kr: constant([1, 1, 8, 4], 33), br: constant([4], 34), ke: constant([1, 1, 4, 8], 35), be: constant([8], 36),
  kg: constant([1, 1, 8, 8], 37), w: constant([8, 3], 38),
}, [
  { name: 'conv', op: '_FusedConv2D', input: ['x', 'k', 'b'], attr: { T: attr.float, strides: attr.ints([1, 2, 2, 1]), padding: attr.s('SAME'), data_format: attr.s('NHWC'), dilations: attr.ints([1, 1, 1, 1]), fused_ops: attr.strings(['BiasAdd', 'Relu']), num_args: attr.i(1), epsilon: attr.f(0) } },
  meanOf('se/pool', 'conv', true),
  conv1x1('se/reduce', 'se/pool', 'kr'),
  { name: 'se/reduce/bias', op: 'BiasAdd', input: ['se/reduce', 'br'], attr: { T: attr.float, data_format: attr.s('NHWC') } },
  { name: 'se/relu', op: 'Relu', input: ['se/reduce/bias'] },
  conv1x1('se/expand', 'se/relu', 'ke'),
  { name: 'se/expand/bias', op: 'AddV2', input: ['se/expand', 'be'] },
  { name: 'se/hs/add', op: 'AddV2', input: ['se/expand/bias', 'three'] },
  { name: 'se/hs/relu6', op: 'Relu6', input: ['se/hs/add'] },
  { name: 'se/hs/mul', op: 'Mul', input: ['se/hs/relu6', 'sixth'] },
  { name: 'se/excite', op: 'Mul', input: ['conv', 'se/hs/mul'] },
  meanOf('gate/pool', 'se/excite', true),
  conv1x1('gate/conv', 'gate/pool', 'kg'),
  { name: 'gate/sigmoid', op: 'Sigmoid', input: ['gate/conv'] },
  { name: 'gate/mul', op: 'Mul', input: ['gate/sigmoid', 'se/excite'] },
  { name: 'gate/add', op: 'AddV2', input: ['se/excite', 'gate/sigmoid'] },
  { name: 'gate/sub', op: 'Sub', input: ['gate/mul', 'gate/add'] },
  meanOf('head/pool', 'gate/sub', false),
  { name: 'head', op: 'MatMul', input: ['head/pool', 'w'], attr: { T: attr.float, transpose_a: attr.b(false), transpose_b: attr.b(false) } },
]);

test('a squeeze-excite block (a gate broadcast over its feature map) matches the TF.js graph executor', async () => {
  const model = await compare(squeezeExciteGraph(), [8, 8, 3]);
  const merges = model.layers.filter((l) => ['Multiply', 'Add'].includes(l.getClassName()));
  assert.deepEqual(merges.map((l) => l.getClassName()), ['Multiply', 'Multiply', 'Add', 'Add']);
  // It trains: the gradients flow back through the broadcast.
  model.compile({ optimizer: tk.train.sgd(0.05), loss: 'meanSquaredError' });
  const history = await model.fit(randomImages(2, 8, 8, 3, 4, tk), tk.tensor(Float32Array.from([1, 0, 0, 0, 1, 0]), [2, 3]), { epochs: 1, batchSize: 2 });
  assert.ok(Number.isFinite(history.history.loss[0]));
  // Shapes that do not broadcast are still a FormatError naming both.
  const bad = squeezeExciteGraph();
  bad.modelJson.modelTopology.node.find((n) => n.name === 'gate/add').input = ['se/excite', 'se/relu'];
  await assert.rejects(tk.loadGraphModel(bad), (e) => e instanceof FormatError && /\[None, 4, 4, 8\]/.test(e.message) && /\[None, 1, 1, 4\]/.test(e.message));
});

test('graphs of every supported kind of op match the TF.js graph executor', async () => {
  const image = await compare(imageGraph(), [8, 8, 3]);
  assert.deepEqual(image.outputs[0].shape, [null, 5]);
  const classes = image.layers.map((l) => l.getClassName());
  for (const c of ['InputLayer', 'Rescaling', 'ZeroPadding2D', 'Conv2D', 'DepthwiseConv2D', 'ReLU', 'Multiply', 'Activation', 'MaxPooling2D', 'Concatenate', 'GlobalAveragePooling2D', 'Dense', 'Softmax']) {
    assert.ok(classes.includes(c), c);
  }
  // The per-channel Mul/Add after the depthwise convolution went into its
  // weights; the per-channel Mul after Tanh is a frozen 1x1 depthwise convolution.
  const depthwise = image.layers.filter((l) => l.getClassName() === 'DepthwiseConv2D');
  assert.deepEqual(depthwise.map((l) => l.trainable), [true, false]);
  await compare(shapeGraph(), [6, 6, 4]);
  // Dynamic height and width: fixed by options.inputShape, and a FormatError saying so without it.
  await assert.rejects(tk.loadGraphModel(imageGraph([-1, -1, 3])), (e) => e instanceof FormatError && /inputShape/.test(e.message) && /'x'/.test(e.message));
  await compare(imageGraph([-1, -1, 3]), [8, 8, 3], { inputShape: [8, 8, 3] });
});

test("nsfwjs's quantized MobileNetV2 graph model (fused ops) matches the TF.js graph executor", async () => {
  const model = await compare(mid, [224, 224, 3]);
  assert.deepEqual(model.outputs[0].shape, [null, 5]);
});

test('the TF-Hub MobileNetV1 graph model matches the TF.js graph executor', { skip: skipV1 }, async () => {
  const model = await compare(await readArtifacts(V1_DIR), [224, 224, 3]);
  assert.deepEqual(model.outputs[0].shape, [null, 1001]);
  // The same from its folder, as TF-Hub's files are named (shard without extension).
  const x = randomImages(1, 224, 224, 3, 3, tk);
  const fromFolder = await tk.loadModel(V1_DIR);
  assert.ok(maxAbsDifference(fromFolder.predict(x).dataSync(), model.predict(x).dataSync()) <= 1e-6);
});

test('an imported graph model is an ordinary functional model: it trains, and saves in the layers format TF.js reads', async () => {
  const model = await tk.loadGraphModel(mid);
  const conv = model.layers.find((l) => l.getClassName() === 'Conv2D');
  assert.ok(model.getLayer(conv.name) && conv.trainableWeights.length === 2);
  model.trainable = false;
  assert.equal(model.trainableWeights.length, 0);
  model.trainable = true;
  const x = randomImages(4, 224, 224, 3, 5, tk);
  const before = conv.getWeights()[0].dataSync().slice();
  model.compile({ optimizer: tk.train.sgd(0.05), loss: 'sparseCategoricalCrossentropy' });
  const history = await model.fit(x, tk.tensor(Float32Array.from([0, 1, 2, 3]), [4]), { epochs: 2, batchSize: 4 });
  assert.ok(history.history.loss.every(Number.isFinite));
  assert.ok(maxAbsDifference(conv.getWeights()[0].dataSync(), before) > 0, 'the weights moved');
  const ours = model.predict(x).dataSync();
  const dir = join(await mkdtemp(join(tmpdir(), 'tanuki-graph-saved-')), 'model');
  await model.save(dir);
  const saved = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  assert.equal(saved.format, 'layers-model');
  const again = await tk.loadModel(dir);
  assert.ok(maxAbsDifference(again.predict(x).dataSync(), ours) <= 1e-6);
  const theirs = (await loadTfjsModel(dir)).predict(tf.tensor(x.dataSync(), [4, 224, 224, 3])).dataSync();
  assert.ok(maxAbsDifference(theirs, ours) <= TOLERANCE, `TF.js layers vs Tanuki: ${maxAbsDifference(theirs, ours)}`);
});

test('loadModel recognises a graph model from a path, a file URL, File objects and artifacts', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'tanuki-graph-')), 'mid');
  await mkdir(dir);
  const group = mid.modelJson.weightsManifest[0];
  await writeFile(join(dir, 'model.json'), JSON.stringify({ ...mid.modelJson, weightsManifest: [{ ...group, paths: ['weights.bin'] }] }));
  await writeFile(join(dir, 'weights.bin'), mid.weightData);
  const x = randomImages(1, 224, 224, 3, 9, tk);
  const expected = (await tk.loadGraphModel(mid)).predict(x).dataSync();
  const files = [new File([await readFile(join(dir, 'model.json'))], 'model.json'), new File([mid.weightData], 'weights.bin')];
  for (const source of [dir, join(dir, 'model.json'), pathToFileURL(join(dir, 'model.json')), files, mid]) {
    const model = await tk.loadModel(source);
    assert.ok(maxAbsDifference(model.predict(x).dataSync(), expected) <= 1e-6, String(source));
  }
  const backbone = await tk.loadBackbone(dir);
  assert.equal(backbone.featureShape.length, 3, `cut at a 4-D activation, got [${backbone.featureShape}]`);
  // The graph scales its input itself (x * 2 - 1, TF-Hub's [0, 1] convention): pixels go in as x / 255.
  assert.deepEqual([backbone.scale, backbone.offset], [1 / 255, 0]);
});

test('an unsupported op or a malformed node is a FormatError naming it', async () => {
  const edited = structuredClone(mid.modelJson);
  const node = edited.modelTopology.node.find((n) => n.op === 'AvgPool');
  node.op = 'Cumsum';
  await assert.rejects(tk.loadGraphModel({ modelJson: edited, weightData: mid.weightData }), (e) =>
    e instanceof FormatError && /'Cumsum'/.test(e.message) && e.message.includes(`node '${node.name}'`));
  const cases = [
    [(m) => { m.modelTopology.node.find((n) => n.op === 'AvgPool').attr.padding = { s: '!!' }; }, /base64/],
    [(m) => { m.modelTopology.node.find((n) => n.op === 'Softmax').input = ['nowhere']; }, /'nowhere'/],
    [(m) => { m.modelTopology.node.find((n) => n.op === 'AvgPool').attr.ksize = { i: 'x' }; }, /ksize/],
    [(m) => { m.modelTopology.node.push({ ...m.modelTopology.node[1] }); }, /two nodes/],
    [(m) => { m.modelTopology.node.find((n) => n.op === '_FusedMatMul').attr.fused_ops.list.s = [b64('Prelu')]; }, /Prelu/],
  ];
  for (const [edit, message] of cases) {
    const json = structuredClone(mid.modelJson);
    edit(json);
    await assert.rejects(tk.loadGraphModel({ modelJson: json, weightData: mid.weightData }), (e) => e instanceof FormatError && message.test(e.message), String(message));
  }
  await assert.rejects(tk.loadGraphModel({ modelJson: mid.modelJson, weightData: mid.weightData.subarray(1) }), FormatError);
  await assert.rejects(tk.loadLayersModel(mid), (e) => e instanceof FormatError && /tk\.loadGraphModel/.test(e.message));
});
