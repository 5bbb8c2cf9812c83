// The pieces the transfer workflow shares with tk.data and the CLI: the
// labelled-image folder listing, image options checked once by the core, the
// split search through splitObstacle(), and loadClassifier()'s checks.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadTanuki } from './helpers.mjs';
import { solidPng } from './png_fixtures.mjs';

const tk = await loadTanuki();
const { FormatError, ValueError } = tk.errors;
const root = mkdtempSync(join(tmpdir(), 'tanuki-labelled-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('listImageFolder: every sub-folder is a class, images found at any depth, sorted, other files left out', () => {
  for (const [file, bytes] of [
    ['dog/b.png', solidPng(2, 2, [1, 2, 3])],
    ['dog/a.jpg', solidPng(2, 2, [1, 2, 3])],
    ['dog/notes.txt', Buffer.from('not an image')],
    ['cat/more/c.PNG', solidPng(2, 2, [1, 2, 3])],
  ]) {
    mkdirSync(join(root, 'pets', file, '..'), { recursive: true });
    writeFileSync(join(root, 'pets', file), bytes);
  }
  mkdirSync(join(root, 'pets', 'empty'));
  const { classNames, examples } = tk.data.listImageFolder(join(root, 'pets'));
  assert.deepEqual(classNames, ['cat', 'dog', 'empty']);
  assert.deepEqual(examples.map((e) => [e.label, e.image.slice(root.length + 6)]), [
    ['cat', 'cat/more/c.PNG'],
    ['dog', 'dog/a.jpg'],
    ['dog', 'dog/b.png'],
  ]);
  assert.throws(() => tk.data.listImageFolder(join(root, 'nowhere')), (e) => e instanceof ValueError && /folder .*nowhere does not exist/.test(e.message));
});

test('image options are checked by the core, once, before any image is read', async () => {
  const png = solidPng(4, 4, [9, 9, 9]);
  assert.throws(() => tk.image.decode(png, { scale: 'big' }), (e) => e instanceof ValueError && /^tk\.image\.decode\(\): image option scale must be a finite number/.test(e.message));
  assert.throws(() => tk.image.decode(png, { size: [2, 2.5] }), (e) => e instanceof ValueError && /size must be \[height, width\] in whole pixels/.test(e.message));
  await assert.rejects(tk.image.decodeAsync(png, { crop: 'side' }), (e) => e instanceof ValueError && /^tk\.image\.decodeAsync\(\): image option crop/.test(e.message));
  // tk.data names its own option imageSize and passes it on as size.
  await assert.rejects(tk.data.imageDatasetFromDirectory(join(root, 'pets'), { crop: 'side' }), /^ValueError: imageDatasetFromDirectory: image option crop/);
  const t = tk.image.decode(png, { size: [2, 2], crop: 'center', scale: 0.5, offset: 1 });
  assert.deepEqual(t.shape, [1, 2, 2, 3]);
  assert.equal(t.dataSync()[0], 9 * 0.5 + 1);
  t.dispose();
});

test('splitObstacle() says why a model cannot be cut at a layer, and nothing where it can', () => {
  const input = tk.input({ shape: [4] });
  const a = tk.layers.dense({ units: 4, name: 'a' }).apply(input);
  const b = tk.layers.dense({ units: 4, name: 'b' }).apply(a);
  const sum = tk.layers.add({ name: 'sum' }).apply([a, b]);
  const model = tk.model({ inputs: input, outputs: tk.layers.dense({ units: 2, name: 'out' }).apply(sum) });
  assert.match(model.splitObstacle('b'), /a/);
  assert.throws(() => model.splitAt('b'), ValueError);
  assert.equal(model.splitObstacle('sum'), '');
  model.splitAt('sum').forEach((m) => m.dispose());
  model.dispose();
});

function classifierFiles(modelJson, weightData, classNames) {
  const files = [new File([JSON.stringify(modelJson)], 'model.json'), new File([weightData], 'weights.bin')];
  if (classNames) files.push(new File([JSON.stringify(classNames)], 'classes.json'));
  return files;
}

test('loadClassifier() takes classes.json with chosen files and refuses models that are not image classifiers', async () => {
  const input = tk.input({ shape: [4, 4, 3] });
  const pooled = tk.layers.globalAveragePooling2d({}).apply(input);
  const model = tk.model({ inputs: input, outputs: tk.layers.dense({ units: 2, activation: 'softmax' }).apply(pooled) });
  const { modelJson, weightData } = model.toArtifacts();

  const loaded = await tk.loadClassifier(classifierFiles(modelJson, weightData, ['cat', 'dog']));
  assert.deepEqual(loaded.classNames, ['cat', 'dog']);
  assert.deepEqual(loaded.metadata().classNames, ['cat', 'dog']);
  loaded.dispose();

  await assert.rejects(tk.loadClassifier(classifierFiles(modelJson, weightData)), (e) => e instanceof ValueError && /model\.json names no classes: choose classes\.json with it/.test(e.message));
  await assert.rejects(tk.loadClassifier(classifierFiles(modelJson, weightData, ['a', 'b', 'c'])), /the model has 2 outputs but 3 class names/);
  await assert.rejects(tk.loadClassifier([new File(['{"modelTopology": '], 'model.json')]), (e) => e instanceof FormatError && /model\.json is not valid JSON/.test(e.message));
  const dense = tk.sequential({ layers: [tk.layers.dense({ units: 2, inputShape: [3] })] });
  const flat = dense.toArtifacts();
  await assert.rejects(tk.loadClassifier(classifierFiles(flat.modelJson, flat.weightData, ['a', 'b'])), /this model takes \[,3\], not RGB images/);
  model.dispose();
  dense.dispose();
});
