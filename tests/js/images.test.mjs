// tk.image (decoding to tensors), tk.data (labelled datasets from folders and
// file lists) and the augmentation layers, on PNGs written at test time.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadTanuki } from './helpers.mjs';
import { encodePng, solidPng } from './png_fixtures.mjs';

let tk;
let root;
before(async () => {
  tk = await loadTanuki();
  root = mkdtempSync(join(tmpdir(), 'tanuki-images-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const close = (a, b, eps = 1e-5) => Math.abs(a - b) <= eps;

/** DIR/<class>/<n>.png for {class: count}, each image a colour that encodes class and index. */
function makeFolder(name, counts) {
  const dir = join(root, name);
  Object.keys(counts).sort().forEach((className, c) => {
    const count = counts[className];
    mkdirSync(join(dir, className), { recursive: true });
    for (let i = 0; i < count; i++) writeFileSync(join(dir, className, `img_${String(i).padStart(2, '0')}.png`), solidPng(6, 4, [c * 100, i * 10, 50]));
  });
  return dir;
}

describe('tk.image.decode', () => {
  test('bytes decode to [1, h, w, 3] with the exact pixel values', () => {
    const pixels = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 7) % 256);
    const png = encodePng(4, 3, pixels);
    const t = tk.image.decode(png);
    assert.deepEqual(t.shape, [1, 3, 4, 3]);
    assert.deepEqual(Array.from(t.dataSync()), Array.from(pixels));
    // Uint8Array, ArrayBuffer and Buffer are the same source.
    const fromArrayBuffer = tk.image.decode(png.buffer.slice(png.byteOffset, png.byteOffset + png.length));
    const fromUint8 = tk.image.decode(new Uint8Array(png));
    assert.deepEqual(Array.from(fromArrayBuffer.dataSync()), Array.from(pixels));
    assert.deepEqual(Array.from(fromUint8.dataSync()), Array.from(pixels));
    [t, fromArrayBuffer, fromUint8].forEach((x) => x.dispose());
  });

  test('a path decodes, resized, centre-cropped and scaled', () => {
    const file = join(root, 'solid.png');
    writeFileSync(file, solidPng(30, 20, [0, 255, 51]));
    const t = tk.image.decode(file, { size: [8, 8], crop: 'center', scale: 1 / 127.5, offset: -1 });
    assert.deepEqual(t.shape, [1, 8, 8, 3]);
    const v = t.dataSync();
    assert.ok(close(v[0], -1) && close(v[1], 1) && close(v[2], 51 / 127.5 - 1));
    t.dispose();
  });

  test('RGBA pixels (ImageData) decode with transparency on white', () => {
    const imageData = { data: new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 0]), width: 2, height: 1 };
    const t = tk.image.decode(imageData, { scale: 1 / 255 });
    assert.deepEqual(Array.from(t.dataSync()), [1, 0, 0, 1, 1, 1]);
    t.dispose();
  });

  test('Blobs and Files decode asynchronously; decode() says to use decodeAsync', async () => {
    const png = solidPng(3, 3, [10, 20, 30]);
    const t = await tk.image.decodeAsync(new Blob([png]), { size: [2, 2] });
    assert.deepEqual(Array.from(t.dataSync().slice(0, 3)), [10, 20, 30]);
    t.dispose();
    assert.throws(() => tk.image.decode(new Blob([png])), { name: 'ValueError', message: /decodeAsync/ });
    const fromPath = await tk.image.decodeAsync(join(root, 'solid.png'));
    assert.deepEqual(fromPath.shape, [1, 20, 30, 3]);
    fromPath.dispose();
  });

  test('bad images and options are refused with clear errors, and the instance keeps working', () => {
    assert.throws(() => tk.image.decode(new Uint8Array(0)), { name: 'FormatError', message: /empty input/ });
    assert.throws(() => tk.image.decode(Buffer.from('GIF89a......')), { name: 'FormatError', message: /not a JPEG or PNG.*GIF/ });
    const png = solidPng(8, 8, [1, 2, 3]);
    assert.throws(() => tk.image.decode(png.subarray(0, 40)), { name: 'FormatError', message: /corrupt or truncated PNG/ });
    assert.throws(() => tk.image.decode(join(root, 'missing.png')), { name: 'FormatError', message: /missing\.png: it does not exist/ });
    assert.throws(() => tk.image.decode(png, { size: [0, 4] }), { name: 'ValueError', message: /size/ });
    assert.throws(() => tk.image.decode(png, { crop: 'middle' }), { name: 'ValueError', message: /crop/ });
    assert.throws(() => tk.image.decode(png, { imageSize: [2, 2] }), { name: 'ValueError', message: /unknown option 'imageSize'/ });
    assert.throws(() => tk.image.decode(42), { name: 'ValueError', message: /cannot decode a number/ });
    const t = tk.image.decode(png);
    assert.deepEqual(t.shape, [1, 8, 8, 3]);
    t.dispose();
  });

  test('a path to a broken file names the file', () => {
    const file = join(root, 'broken.png');
    writeFileSync(file, Buffer.from('not really a png'));
    assert.throws(() => tk.image.decode(file), { name: 'FormatError', message: /broken\.png: not a JPEG or PNG/ });
  });
});

describe('tk.data.imageDatasetFromDirectory', () => {
  test('classes from sub-folders, sorted; images and labels in memory', async () => {
    const dir = makeFolder('basic', { dog: 4, cat: 6 });
    writeFileSync(join(dir, 'cat', 'notes.txt'), 'not an image');
    writeFileSync(join(dir, 'dog', 'UPPER.PNG'), solidPng(2, 2, [100, 0, 50]));
    const ds = await tk.data.imageDatasetFromDirectory(dir, { imageSize: [4, 4], shuffle: false });
    assert.deepEqual(ds.classNames, ['cat', 'dog']);
    assert.equal(ds.count, 11);
    assert.deepEqual(ds.x.shape, [11, 4, 4, 3]);
    assert.deepEqual(ds.y.shape, [11]);
    assert.deepEqual(Array.from(ds.y.dataSync()), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    assert.ok(ds.files[6].endsWith(join('dog', 'UPPER.PNG')));  // sorted: uppercase first
    // Image i of class c was filled with (c*100, i*10, 50).
    const x = ds.x.dataSync();
    const pixel = (n) => Array.from(x.slice(n * 48, n * 48 + 3));
    assert.deepEqual(pixel(2), [0, 20, 50]);
    assert.deepEqual(pixel(8), [100, 10, 50]);
    ds.dispose();
  });

  test('labelMode categorical and binary', async () => {
    const dir = makeFolder('labels', { a: 2, b: 3 });
    const categorical = await tk.data.imageDatasetFromDirectory(dir, { imageSize: [2, 2], labelMode: 'categorical', shuffle: false });
    assert.deepEqual(categorical.y.shape, [5, 2]);
    assert.deepEqual(Array.from(categorical.y.dataSync()), [1, 0, 1, 0, 0, 1, 0, 1, 0, 1]);
    const binary = await tk.data.imageDatasetFromDirectory(dir, { imageSize: [2, 2], labelMode: 'binary', shuffle: false });
    assert.deepEqual(binary.y.shape, [5, 1]);
    categorical.dispose();
    binary.dispose();
  });

  test('validationSplit: Keras split sizes, disjoint subsets, repeatable under the seed', async () => {
    const dir = makeFolder('split', { cat: 12, dog: 8 });
    const [train, val] = await tk.data.imageDatasetFromDirectory(dir, { imageSize: [2, 2], validationSplit: 0.25, subset: 'both', seed: 42 });
    assert.equal(train.count, 15);
    assert.equal(val.count, 5);
    assert.deepEqual(train.x.shape, [15, 2, 2, 3]);
    assert.deepEqual([...train.files, ...val.files].sort(), readdirSync(join(dir, 'cat')).map((f) => join(dir, 'cat', f)).concat(readdirSync(join(dir, 'dog')).map((f) => join(dir, 'dog', f))).sort());
    const again = await tk.data.imageDatasetFromDirectory(dir, { imageSize: [2, 2], validationSplit: 0.25, subset: 'validation', seed: 42 });
    assert.deepEqual(again.files, val.files);
    assert.deepEqual(Array.from(again.x.dataSync()), Array.from(val.x.dataSync()));
    const training = await tk.data.imageDatasetFromDirectory(dir, { imageSize: [2, 2], validationSplit: 0.25, subset: 'training', seed: 42 });
    assert.deepEqual(training.files, train.files);
    const other = await tk.data.imageDatasetFromDirectory(dir, { imageSize: [2, 2], validationSplit: 0.25, subset: 'validation', seed: 7 });
    assert.notDeepEqual(other.files, val.files);
    [train, val, again, training, other].forEach((d) => d.dispose());
  });

  test('batches() yields batchSize images at a time', async () => {
    const dir = makeFolder('batches', { a: 3, b: 2 });
    const ds = await tk.data.imageDatasetFromDirectory(dir, { imageSize: [2, 2], batchSize: 2, shuffle: false });
    const sizes = [];
    for (const { x, y } of ds.batches()) {
      sizes.push(x.shape[0]);
      assert.equal(y.shape[0], x.shape[0]);
      x.dispose();
      y.dispose();
    }
    assert.deepEqual(sizes, [2, 2, 1]);
    ds.dispose();
  });

  test('clear errors: missing folder, fewer than 2 classes, a split without a seed', async () => {
    await assert.rejects(tk.data.imageDatasetFromDirectory(join(root, 'nowhere')), { name: 'ValueError', message: /nowhere does not exist/ });
    const one = makeFolder('one', { cat: 2 });
    await assert.rejects(tk.data.imageDatasetFromDirectory(one), { name: 'ValueError', message: /found 1 class \('cat'\).*at least 2/ });
    const two = makeFolder('two', { a: 2, b: 2 });
    await assert.rejects(tk.data.imageDatasetFromDirectory(two, { validationSplit: 0.5, subset: 'training' }), { name: 'ValueError', message: /needs a seed/ });
    await assert.rejects(tk.data.imageDatasetFromDirectory(two, { validationSplit: 0.5 }), { name: 'ValueError', message: /go together/ });
    await assert.rejects(tk.data.imageDatasetFromDirectory(two, { imageSize: 4 }), { name: 'ValueError', message: /imageSize/ });
  });

  test('an unreadable image stops the load naming the file, or is skipped and reported with skipInvalid', async () => {
    const dir = makeFolder('broken', { cat: 3, dog: 3 });
    writeFileSync(join(dir, 'dog', 'img_01.png'), Buffer.from('truncated'));
    await assert.rejects(tk.data.imageDatasetFromDirectory(dir, { imageSize: [2, 2] }), {
      name: 'FormatError',
      message: /dog.img_01\.png: not a JPEG or PNG.*skipInvalid/,
    });
    const progress = [];
    const ds = await tk.data.imageDatasetFromDirectory(dir, { imageSize: [2, 2], skipInvalid: true, shuffle: false, onProgress: (p) => progress.push(p) });
    assert.equal(ds.count, 5);
    assert.deepEqual(ds.x.shape, [5, 2, 2, 3]);
    assert.deepEqual(Array.from(ds.y.dataSync()), [0, 0, 0, 1, 1]);
    assert.equal(ds.skipped.length, 1);
    assert.match(ds.skipped[0].file, /dog.img_01\.png$/);
    assert.match(ds.skipped[0].error, /not a JPEG or PNG/);
    assert.equal(progress.length, 6);
    assert.deepEqual(progress.at(-1), { subset: 'all', done: 6, total: 6, file: progress.at(-1).file, skipped: 1 });
    // The last good image moved up into the gap.
    assert.deepEqual(Array.from(ds.x.dataSync().slice(4 * 12, 4 * 12 + 3)), [100, 20, 50]);
    ds.dispose();
  });
});

describe('tk.data.imagesFromFiles', () => {
  test('File lists per class, as a browser folder picker gives them', async () => {
    const file = (name, colour) => new File([solidPng(3, 3, colour)], name);
    const ds = await tk.data.imagesFromFiles(
      { zebra: [file('z1.png', [1, 1, 1]), file('z2.png', [2, 2, 2]), new File(['x'], '.DS_Store')], ant: [file('a1.png', [9, 9, 9])] },
      { imageSize: [2, 2], shuffle: false, labelMode: 'categorical' },
    );
    assert.deepEqual(ds.classNames, ['ant', 'zebra']);
    assert.deepEqual(ds.files, ['a1.png', 'z1.png', 'z2.png']);
    assert.deepEqual(Array.from(ds.y.dataSync()), [1, 0, 0, 1, 0, 1]);
    assert.equal(ds.x.dataSync()[12], 1);
    ds.dispose();
    await assert.rejects(tk.data.imagesFromFiles({ only: [file('o.png', [0, 0, 0])] }), { name: 'ValueError', message: /at least 2/ });
  });
});

describe('augmentation layers', () => {
  test('identity in inference, random in training, repeatable with a seed, configs round-trip', () => {
    const x = tk.randomUniform([4, 6, 6, 3], 0, 255);
    const layers = [
      tk.layers.randomFlip({ mode: 'horizontal', seed: 1 }),
      tk.layers.randomRotation({ factor: 0.1, seed: 1 }),
      tk.layers.randomZoom({ heightFactor: 0.2, widthFactor: 0.2, seed: 1 }),
      tk.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: 1 }),
      tk.layers.randomContrast({ factor: 0.3, seed: 1 }),
    ];
    for (const layer of layers) {
      const inference = layer.apply(x);
      assert.deepEqual(Array.from(inference.dataSync()), Array.from(x.dataSync()), layer.getClassName());
      const config = layer.getConfig();
      const twin = tk.layers[layer.getClassName()[0].toLowerCase() + layer.getClassName().slice(1)]({ ...config, name: undefined });
      assert.deepEqual({ ...twin.getConfig(), name: null }, { ...config, name: null });
      const a = layer.apply(x, { training: true });
      const b = twin.apply(x, { training: true });
      assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()), `${layer.getClassName()} with the same seed`);
      assert.notDeepEqual(Array.from(a.dataSync()), Array.from(x.dataSync()));
      [inference, a, b, twin, layer].forEach((t) => t.dispose());
    }
    assert.equal(tk.layers.randomRotation({ factor: 0.1 }).getConfig().fillMode, 'reflect');
    assert.throws(() => tk.layers.randomFlip({ mode: 'sideways' }), { name: 'ValueError', message: /mode/ });
    x.dispose();
  });
});

describe('real photos', () => {
  const photos = fileURLToPath(new URL('../../../shared/data/cats_vs_dogs/train', import.meta.url));
  test('20 cats and 20 dogs at 224x224 through imageDatasetFromDirectory', async (t) => {
    if (!existsSync(photos)) {
      t.skip(`no evaluation photos at ${photos}`);
      return;
    }
    // A folder of links to the first 20 photos of each class.
    const dir = join(root, 'cats_vs_dogs');
    for (const className of ['cat', 'dog']) {
      mkdirSync(join(dir, className), { recursive: true });
      for (const name of readdirSync(join(photos, className)).sort().slice(0, 20)) symlinkSync(join(photos, className, name), join(dir, className, name));
    }
    const ds = await tk.data.imageDatasetFromDirectory(dir, { imageSize: [224, 224], crop: 'center', scale: 1 / 255, seed: 1 });
    assert.deepEqual(ds.classNames, ['cat', 'dog']);
    assert.deepEqual(ds.x.shape, [40, 224, 224, 3]);
    assert.deepEqual(ds.y.shape, [40]);
    assert.equal(ds.skipped.length, 0);
    const x = ds.x.dataSync();
    let min = Infinity, max = -Infinity;
    for (const v of x) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    assert.ok(min >= 0 && max <= 1, `values in [0, 1], got [${min}, ${max}]`);
    assert.ok(max - min > 0.5, 'real photos have contrast');
    assert.deepEqual(Array.from(ds.y.dataSync()).filter((l) => l === 1).length, 20);
    ds.dispose();
  });
});
