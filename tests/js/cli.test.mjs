// The tanuki command line on generated images: train (also on an .onnx and a
// TF.js graph model backbone), evaluate --json, predict --json, export /
// convert (checked with ONNX Runtime), and one-line errors with a non-zero
// exit code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import tanuki from 'tanuki';
import { writeNsfwjsModel } from '../../scripts/nsfwjs_model.mjs';
import { maxAbsDifference, randomImages } from './onnx/onnx_helpers.mjs';
import { encodePng } from './png_fixtures.mjs';

// Stripes (horizontal vs vertical) with random colours: a learnable two-class problem.
function stripes(vertical, seed) {
  const size = 48;
  const pixels = new Uint8Array(size * size * 3);
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const a = [rand() * 255, rand() * 255, rand() * 255];
  const b = [255 - a[0], 255 - a[1], 255 - a[2]];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const on = Math.floor((vertical ? x : y) / 6) % 2 === 0;
      pixels.set(on ? a : b, (y * size + x) * 3);
    }
  return encodePng(size, size, pixels);
}

async function dataset() {
  const root = await mkdtemp(join(tmpdir(), 'tanuki-cli-'));
  for (const [name, vertical] of [['horizontal', false], ['vertical', true]]) {
    await mkdir(join(root, 'data', name), { recursive: true });
    for (let i = 0; i < 12; i++) await writeFile(join(root, 'data', name, `${i}.png`), stripes(vertical, i + (vertical ? 100 : 0)));
  }
  await writeFile(join(root, 'data', 'vertical', 'broken.png'), Buffer.from('not an image at all'));
  return root;
}

const cli = (...args) => spawnSync(process.execPath, ['cli/tanuki.mjs', ...args], { encoding: 'utf8', timeout: 300_000 });

test('train, evaluate and predict on a folder of images', async () => {
  const root = await dataset();
  const out = join(root, 'model');
  const train = cli('train', '--data', join(root, 'data'), '--out', out, '--epochs', '15', '--batch-size', '8', '--seed', '3', '--json');
  assert.equal(train.status, 0, train.stderr);
  assert.match(train.stderr, /skipped unreadable image .*broken\.png/);
  const summary = JSON.parse(train.stdout.trim().split('\n').pop());
  assert.deepEqual(summary.classes, ['horizontal', 'vertical']);
  assert.equal(summary.images, 24);

  const evaluate = cli('evaluate', '--model', out, '--data', join(root, 'data'), '--json');
  // The broken file is part of the data: evaluation names it and fails.
  assert.notEqual(evaluate.status, 0);
  assert.match(evaluate.stderr.trim().split('\n').pop(), /^tanuki: .*broken\.png: not a JPEG or PNG image/);

  const predict = cli('predict', '--model', out, '--json', '--top', '1', join(root, 'data', 'vertical', '3.png'), join(root, 'data', 'horizontal', '3.png'));
  assert.equal(predict.status, 0, predict.stderr);
  const results = JSON.parse(predict.stdout.trim().split('\n').pop());
  assert.equal(results[0].predictions[0].className, 'vertical');
  assert.equal(results[1].predictions[0].className, 'horizontal');
  assert.equal(results[0].predictions.length, 1);

  // export: the trained model as ONNX gives what the saved model computes.
  const onnxFile = join(root, 'model.onnx');
  const exported = cli('export', out, onnxFile, '--opset', '17', '--json');
  assert.equal(exported.status, 0, exported.stderr);
  assert.match(exported.stderr, /Dropout '.*': left out/);
  assert.equal(JSON.parse(exported.stdout.trim().split('\n').pop()).out, onnxFile);
  const tk = await tanuki.load({ threads: false });
  const model = await tk.loadModel(out);
  const x = randomImages(1, 224, 224, 3, 4).map((v) => 127.5 * (v + 1));
  const expected = model.predict(tk.tensor(x, [1, 224, 224, 3])).dataSync();
  const session = await ort.InferenceSession.create(onnxFile, { logSeverityLevel: 3 });
  const run = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [1, 224, 224, 3]) });
  assert.ok(maxAbsDifference(run[session.outputNames[0]].data, expected) <= 1e-4);

  // convert: ONNX -> layers format -> ONNX (nchw); the layers copy computes the same.
  const converted = cli('convert', onnxFile, join(root, 'from-onnx', 'model.json'));
  assert.equal(converted.status, 0, converted.stderr);
  const back = await tk.loadModel(join(root, 'from-onnx'));
  assert.ok(maxAbsDifference(back.predict(tk.tensor(x, [1, 224, 224, 3])).dataSync(), expected) <= 1e-4);
  const again = cli('convert', join(root, 'from-onnx'), join(root, 'again.onnx'), '--input-layout', 'nchw');
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual((await ort.InferenceSession.create(join(root, 'again.onnx'))).inputNames.length, 1);

  // convert of a whole exported network (4-D NHWC layout changes, ZeroPadding2D + MaxPool, the head).
  const backbone = await tk.loadBackbone('bundled');
  const wholeFile = join(root, 'whole.onnx');
  await backbone.full.save(wholeFile);
  const wholeConverted = cli('convert', wholeFile, join(root, 'whole'));
  assert.equal(wholeConverted.status, 0, wholeConverted.stderr);
  const whole = await tk.loadModel(join(root, 'whole'));
  const wholeInput = tk.tensor(x, [1, 224, 224, 3]);
  assert.ok(maxAbsDifference(whole.predict(wholeInput).dataSync(), backbone.full.predict(wholeInput).dataSync()) <= 1e-4);
  [whole, backbone.full, backbone.model, wholeInput].forEach((m) => m.dispose());

  let r = cli('export', out, join(root, 'model.txt'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /does not end in \.onnx/);
  r = cli('convert', out);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /convert takes IN and OUT/);
  r = cli('export', join(root, 'no-model'), onnxFile);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^tanuki: .*no-model/);
});

test('train --backbone takes an .onnx file or a TF.js graph model.json', async () => {
  const root = await dataset();
  const tk = await tanuki.load({ threads: false });
  // An .onnx backbone: the bundled MobileNetV2's features, exported by Tanuki.
  const bundled = await tk.loadBackbone('bundled');
  const onnx = join(root, 'backbone.onnx');
  await writeFile(onnx, bundled.model.toOnnx());
  bundled.model.dispose();
  bundled.full.dispose();
  // A graph model: nsfwjs's MobileNetV2 as model.json and its shard.
  const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const [graph] = await writeNsfwjsModel(repo, 'mobilenet_v2_mid', join(root, 'graph'));
  for (const [backbone, name] of [[onnx, 'onnx'], [graph, 'graph']]) {
    const model = await tk.loadModel(backbone);
    const modelName = model.name;
    model.dispose();
    const out = join(root, `model-${name}`);
    const train = cli('train', '--data', join(root, 'data'), '--out', out, '--backbone', backbone, '--epochs', '3', '--no-auto-tune', '--batch-size', '8', '--json');
    assert.equal(train.status, 0, train.stderr);
    assert.match(train.stderr, new RegExp(`backbone: ${modelName}, cut at`));
    assert.deepEqual(JSON.parse(train.stdout.trim().split('\n').pop()).classes, ['horizontal', 'vertical']);
    const predict = cli('predict', '--model', out, '--json', join(root, 'data', 'vertical', '3.png'));
    assert.equal(predict.status, 0, predict.stderr);
    assert.equal(JSON.parse(predict.stdout.trim().split('\n').pop())[0].predictions.length, 2);
  }
});

test('evaluate --json prints accuracy, loss, count, classes and the confusion matrix', async () => {
  const root = await dataset();
  const out = join(root, 'model');
  assert.equal(cli('train', '--data', join(root, 'data'), '--out', out, '--epochs', '15', '--batch-size', '8').status, 0);
  const { rm } = await import('node:fs/promises');
  await rm(join(root, 'data', 'vertical', 'broken.png'));
  const evaluate = cli('evaluate', '--model', out, '--data', join(root, 'data'), '--json');
  assert.equal(evaluate.status, 0, evaluate.stderr);
  const report = JSON.parse(evaluate.stdout.trim().split('\n').pop());
  assert.equal(report.count, 24);
  assert.deepEqual(report.classes, ['horizontal', 'vertical']);
  assert.ok(report.accuracy >= 0.9, `accuracy ${report.accuracy}`);
  assert.equal(report.confusion.flat().reduce((a, b) => a + b, 0), 24);
  assert.ok(Number.isFinite(report.loss));
  assert.match(evaluate.stdout, /confusion matrix/);
});

test('failures exit non-zero with a one-line reason', async () => {
  const root = await dataset();
  let r = cli('train', '--data', join(root, 'nowhere'), '--out', join(root, 'm'));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /^tanuki: data folder .*nowhere does not exist/);

  await mkdir(join(root, 'one', 'only'), { recursive: true });
  await writeFile(join(root, 'one', 'only', 'a.png'), stripes(true, 1));
  r = cli('train', '--data', join(root, 'one'), '--out', join(root, 'm'));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /needs at least 2 class folders with images; found 1/);

  r = cli('predict', '--model', join(root, 'no-model'), 'x.png');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /^tanuki: no model at .*no-model/);

  r = cli('frobnicate');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);

  r = cli('train', '--data', root, '--epochs', 'many');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--epochs must be a number, got 'many'/);
});
