// Fine-tuning the bundled backbone's top block on a folder of 224x224 images
// through fit(dataset), streamed: reports images per second and the peak
// WebAssembly heap (the target: at most 1.5 GB for 20,000 images).
//
//   node bench/streaming.mjs [--images N] [--epochs E] [--batch B] [--threads T] [--folder DIR] [--fashion-mnist DIR]
//
// Without --folder, N images are written as PNG files to a temporary folder:
// Fashion-MNIST pictures (Debian's dataset-fashion-mnist, upscaled to
// 224x224) when installed, else generated patterns.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import tanuki from 'tanuki';
import { encodePng } from '../tests/js/png_fixtures.mjs';

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '20000' },
    epochs: { type: 'string', default: '2' },
    batch: { type: 'string', default: '32' },
    folder: { type: 'string' },
    threads: { type: 'string', default: 'auto' },
    'fashion-mnist': { type: 'string', default: '/usr/share/datasets/fashion-mnist' },
  },
});
const count = Number(args.images);
const SIZE = 224;
const FASHION = args['fashion-mnist'];
const CLASSES = 10;

/** Fashion-MNIST's 28x28 grey pictures and labels, or null when the package is missing. */
function fashionMnist() {
  const images = ['train-images-idx3-ubyte.gz', 'train-images-idx3-ubyte'].map((f) => join(FASHION, f)).find(existsSync);
  const labels = ['train-labels-idx1-ubyte.gz', 'train-labels-idx1-ubyte'].map((f) => join(FASHION, f)).find(existsSync);
  if (!images || !labels) return null;
  const read = (file) => (file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file));
  return { pixels: read(images).subarray(16), labels: read(labels).subarray(8), n: 60000 };
}

/** A 224x224 RGB picture: Fashion-MNIST image i upscaled (nearest), or a pattern of class c. */
function picture(source, i) {
  const out = new Uint8Array(SIZE * SIZE * 3);
  const label = source ? source.labels[i % source.n] : i % CLASSES;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const v = source
        ? source.pixels[(i % source.n) * 784 + Math.floor((y * 28) / SIZE) * 28 + Math.floor((x * 28) / SIZE)]
        : ((x * (label + 1) + y * (i % 7)) * 3) & 255;
      out.set([v, (v + label * 25) & 255, 255 - v], (y * SIZE + x) * 3);
    }
  }
  return { label, png: encodePng(SIZE, SIZE, out) };
}

function writeFolder(dir) {
  const source = fashionMnist();
  console.log(`writing ${count} ${source ? 'Fashion-MNIST' : 'generated'} images (${SIZE}x${SIZE} PNG) to ${dir}`);
  for (let c = 0; c < CLASSES; c++) mkdirSync(join(dir, `class_${c}`), { recursive: true });
  for (let i = 0; i < count; i++) {
    const { label, png } = picture(source, i);
    writeFileSync(join(dir, `class_${label}`, `${String(i).padStart(6, '0')}.png`), png);
  }
}

const folder = args.folder ?? mkdtempSync(join(tmpdir(), 'tanuki-streaming-bench-'));
if (!args.folder) writeFolder(folder);
const tk = await tanuki.load({ threads: args.threads === 'auto' ? 'auto' : Number(args.threads) || false });
let peakHeap = tk.memory().heapBytes;
const watchHeap = () => (peakHeap = Math.max(peakHeap, tk.memory().heapBytes));
try {
  const backbone = await tk.loadBackbone('bundled', { cutLayer: 'out_relu' });
  // The top block (block_16, Conv_1) trains; everything below is frozen and cached per image.
  for (const layer of backbone.model.layers) layer.trainable = /^(block_16_|Conv_1)/.test(layer.name);
  const pooled = tk.layers.globalAveragePooling2d().apply(backbone.model.outputs[0]);
  const train = await tk.data.imageDatasetFromDirectory(folder, {
    imageSize: [SIZE, SIZE], batchSize: Number(args.batch), scale: backbone.scale, offset: backbone.offset, seed: 1, skipInvalid: true,
  });
  const classes = train.classNames.length;
  const model = tk.model({ inputs: backbone.model.inputs, outputs: tk.layers.dense({ units: classes, activation: 'softmax' }).apply(pooled) });
  model.compile({ optimizer: tk.train.adam(1e-4), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  console.log(`${train.count} images of ${classes} classes, ${train.inMemory ? 'in memory' : 'streamed'}; ` +
    `decoded they would take ${(train.decodedBytes / 2 ** 30).toFixed(2)} GB; ${tk.threads} thread(s)`);
  const started = performance.now();
  let firstEpochAt = null;
  const history = await model.fit(train, {
    epochs: Number(args.epochs),
    callbacks: [{ onBatchEnd: watchHeap, onEpochEnd: (epoch, logs) => {
      firstEpochAt ??= performance.now();
      console.log(`epoch ${epoch + 1}: loss ${logs.loss.toFixed(4)}, accuracy ${logs.accuracy.toFixed(4)}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } }],
  });
  const seconds = (performance.now() - started) / 1000;
  const firstEpoch = (firstEpochAt - started) / 1000;
  watchHeap();
  console.log(JSON.stringify({
    images: train.count,
    epochs: history.epoch.length,
    cachedBoundary: history.params.cachedBoundary,
    firstEpochImagesPerSecond: +(train.count / firstEpoch).toFixed(1),
    imagesPerSecond: +((train.count * history.epoch.length) / seconds).toFixed(1),
    seconds: +seconds.toFixed(1),
    peakHeapMB: Math.round(peakHeap / 2 ** 20),
    heapTargetMet: peakHeap <= 1.5 * 2 ** 30,
    skipped: train.skipped.length,
  }));
  train.dispose();
} finally {
  if (!args.folder) rmSync(folder, { recursive: true, force: true });
}
