// The page with the model formats other than the TF.js layers format, in
// Chromium, Firefox and WebKit (one body per engine): an ONNX backbone chosen
// from disk (named as ONNX, kept across a reload and in the project file), a
// TF.js graph model chosen from disk and trained on, and the trained model
// downloaded as ONNX, whose answer ONNX Runtime reproduces; and
// <tanuki-classifier> with an .onnx and a graph model.json URL as its backbone.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import tanuki from '../../wasm/js/index.js';
import { writeNsfwjsModel } from '../../scripts/nsfwjs_model.mjs';
import { maxAbsDifference } from '../js/onnx/onnx_helpers.mjs';
import { engines, openEngine } from './drivers/index.mjs';
import { serve } from '../../scripts/serve.mjs';
import { RESULTS } from './helpers.mjs';
import { photoSets } from './photos.mjs';

const PER_CLASS = 12;
const TOLERANCE = 1e-4;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const GRAPH_V1 = fileURLToPath(new URL('../../../shared/models/mobilenet_v1_0.25_224/imagenet/', import.meta.url));
const FIXTURES = join(RESULTS, 'formats');

const testId = (id) => `[data-testid="${id}"]`;
const tk = await tanuki.load({ threads: false });

/**
 * The bundled MobileNetV2 cut at its features, exported by Tanuki as ONNX:
 * an .onnx backbone that needs nothing outside the package.
 */
async function onnxBackboneFile() {
  const backbone = await tk.loadBackbone('bundled');
  const file = join(FIXTURES, 'mobilenet_v2_features.onnx');
  writeFileSync(file, backbone.model.toOnnx());
  backbone.model.dispose();
  backbone.full.dispose();
  return file;
}

/**
 * A TF.js graph model as files: the TF-Hub MobileNetV1 0.25 of the shared
 * models when present, else nsfwjs's MobileNetV2 graph model (its shards
 * joined into one).
 */
async function graphModelFiles() {
  if (existsSync(join(GRAPH_V1, 'model.json'))) {
    return { what: 'the TF-Hub MobileNetV1 0.25', dir: GRAPH_V1, files: readdirSync(GRAPH_V1).map((f) => join(GRAPH_V1, f)) };
  }
  const dir = join(FIXTURES, 'nsfwjs_graph');
  return { what: "nsfwjs's MobileNetV2 graph model", dir, files: await writeNsfwjsModel(root, 'mobilenet_v2_mid', dir) };
}

mkdirSync(FIXTURES, { recursive: true });
const onnxBackbone = await onnxBackboneFile();
const graph = await graphModelFiles();
console.log(`# graph model backbone: ${graph.what}`);

/** The .tanuki file's header (the layout: web/app/io/project_format.js). */
function projectHeader(file) {
  const bytes = readFileSync(file);
  const length = bytes.readUInt32LE(8);
  return JSON.parse(bytes.subarray(12, 12 + length).toString('utf8'));
}

for (const { name: engine, skip } of engines()) {
  describe(`model formats on the page (${engine})`, { skip }, () => {
    let page;
    let photos;
    let server;
    const results = join(RESULTS, engine, 'formats');

    before(async () => {
      // The page's server, also serving the models written above (for the element's URLs).
      let url;
      ({ server, url } = await serve({ port: 0, extraMounts: [['/fixtures/onnx/', FIXTURES], ['/fixtures/graph/', graph.dir]] }));
      page = await openEngine(engine, { url });
      await page.waitForText(testId('backbone-status'), 'Ready', { timeout: 60_000 });
      photos = await photoSets(page, { trainCount: PER_CLASS, testCount: 1, generated: true });
      await page.click('.backbone-choice summary');
      // WebKit opens the <details> a moment later; files sent to its input before then are lost.
      await page.waitFor(() => document.querySelector('.backbone-choice').open && document.querySelector('#backbone-files').getClientRects().length > 0);
    });

    after(async () => {
      await page?.close();
      await new Promise((resolve) => server?.close(resolve) ?? resolve());
    });

    test('an .onnx backbone from disk: named as ONNX, kept across a reload and in the project file', async () => {
      assert.match(await page.attribute(testId('backbone-files'), 'accept'), /\.onnx/);
      await page.setFiles(testId('backbone-files'), onnxBackbone);
      await page.waitForText(testId('backbone-status'), 'loaded from your files, ONNX', { timeout: 60_000 });
      assert.match(await page.text('#fact-input'), /224 × 224/);

      await page.reload();
      await page.waitForText(testId('backbone-status'), 'loaded from your files, ONNX', { timeout: 60_000 });
      const [{ path }] = await page.downloads('#export-project', 1, join(results, 'project'));
      const { backbone } = projectHeader(path);
      assert.equal(backbone.kind, 'files');
      assert.deepEqual(backbone.files.map((f) => [f.name, f.length]), [['mobilenet_v2_features.onnx', readFileSync(onnxBackbone).length]]);
      assert.deepEqual(await page.texts(`${testId('error')} li`), []);
    });

    test('a TF.js graph model from disk trains and predicts', async () => {
      await page.click('.backbone-choice summary');
      await page.waitFor(() => document.querySelector('.backbone-choice').open && document.querySelector('#backbone-files').getClientRects().length > 0);
      await page.setFiles(testId('backbone-files'), graph.files);
      await page.waitForText(testId('backbone-status'), 'loaded from your files, TensorFlow.js graph model', { timeout: 60_000 });
      for (const [i, label] of photos.labels.entries()) {
        await page.fill(testId('class-name'), label, i);
        await page.press(testId('class-name'), 'Enter', i);
        await page.setFiles(testId('class-files'), photos.train[label], i);
      }
      for (const i of [0, 1]) await page.waitForText(testId('class-count'), `${PER_CLASS} images`, { nth: i });
      // Fixed settings: no cross-validation to wait for.
      await page.fill('input[name="epochs"]', 10);
      await page.fill('input[name="learningRate"]', '0.001');
      await page.select('select[name="augment"]', 'true');
      await page.blur('input[name="learningRate"]');
      await page.click(testId('train'));
      await page.waitForText(testId('progress'), /^Trained in/, { timeout: 120_000 });

      const files = photos.labels.map((label) => photos.test[label][0]);
      await page.setFiles(testId('predict-files'), files);
      await page.waitFor((n) => document.querySelectorAll('[data-testid="prediction"]').length === n, files.length, { timeout: 60_000 });
      const tops = await page.evaluate(() => Array.from(document.querySelectorAll('[data-testid="prediction"]'), (item) => [item.querySelector('.file-name').textContent, item.querySelector('.top-class').textContent]));
      assert.deepEqual(tops, files.map((f, i) => [f.name, photos.labels[i]]));
      assert.deepEqual(await page.texts(`${testId('error')} li`), []);
    });

    test('Download as ONNX: model.onnx answers as the trained model does, in ONNX Runtime', async () => {
      assert.equal(await page.disabled(testId('export-onnx')), false);
      const [onnx] = await page.downloads(testId('export-onnx'), 1, join(results, 'onnx'));
      assert.equal(onnx.name, 'model.onnx');
      // The head's Dropout (augmentation happens while features are computed, outside the model).
      await page.waitForText('#notice', /^Downloaded model\.onnx \(classes stripes, dots; input \[batch, 224, 224, 3\].*Left out, as they act only in training: Dropout '/);
      const layersDir = join(results, 'layers');
      await page.downloads(testId('export-model'), 3, layersDir);

      const classifier = await tk.loadClassifier(layersDir);
      const x = await tk.image.decodeAsync(new Uint8Array(photos.test[photos.labels[0]][0].buffer), { size: classifier.inputSize, crop: 'center' });
      const ours = classifier.model.predict(x).dataSync();
      const session = await ort.InferenceSession.create(onnx.path);
      const output = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x.dataSync(), x.shape) });
      const theirs = output[session.outputNames[0]].data;
      assert.equal(theirs.length, photos.labels.length);
      const diff = maxAbsDifference(ours, theirs);
      assert.ok(diff <= TOLERANCE, `max |Tanuki - ONNX Runtime| = ${diff}`);
      x.dispose();
      classifier.dispose();
    });

    test('<tanuki-classifier> takes an .onnx or a graph model.json URL as its backbone', async () => {
      const status = 'tanuki-classifier >>> [part~="status"]';
      await page.goto('embed.html');
      await page.waitForText(status, 'Ready: MobileNetV2', { timeout: 60_000 });
      // Each model's own name (an ONNX graph's, a graph model's), as tk.loadModel reads it in Node.
      for (const [url, path] of [['fixtures/onnx/mobilenet_v2_features.onnx', onnxBackbone], ['fixtures/graph/model.json', graph.dir]]) {
        const model = await tk.loadModel(path);
        const name = model.name;
        model.dispose();
        await page.evaluate((value) => document.querySelector('tanuki-classifier').setAttribute('backbone', value), url);
        await page.waitForText(status, `Ready: ${name}.`, { timeout: 60_000 });
      }
      const failed = await page.evaluate(() => document.querySelector('tanuki-classifier').shadowRoot.textContent);
      assert.doesNotMatch(failed, /cannot be loaded/);
    });
  });
}
