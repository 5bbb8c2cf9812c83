// Photos for the browser tests: cats and dogs from the shared data folder,
// or, where it is absent, two generated patterns the page can tell apart.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DATA = fileURLToPath(new URL('../../../shared/data/cats_vs_dogs/', import.meta.url));
const IMAGENET_MODEL = fileURLToPath(new URL('../../../shared/models/mobilenet_v1_0.75_224/', import.meta.url));

/**
 * The files of an ImageNet MobileNetV1 to use as the backbone for photos, or
 * null. The bundled MobileNetV2 was trained on other kinds of pictures; with
 * 30 photos per class it does not tell cats from dogs reliably.
 */
export function imagenetBackboneFiles() {
  if (!existsSync(join(IMAGENET_MODEL, 'model.json'))) return null;
  return readdirSync(IMAGENET_MODEL).filter((f) => f === 'model.json' || /shard/.test(f)).map((f) => join(IMAGENET_MODEL, f));
}

function sample(split, label, count) {
  const dir = join(DATA, split, label);
  return readdirSync(dir)
    .filter((f) => /\.jpe?g$/i.test(f))
    .sort((a, b) => Number(a.match(/\d+/)?.[0]) - Number(b.match(/\d+/)?.[0]))
    .slice(0, count)
    .map((f) => join(dir, f));
}

/**
 * {labels: [a, b], train: {label: files}, test: {label: files}, source}.
 * Files are paths or {name, mimeType, buffer} objects (setInputFiles takes both).
 */
export async function photoSets(page, { trainCount, testCount, generated = false }) {
  const labels = ['cat', 'dog'];
  const present = labels.every((l) => existsSync(join(DATA, 'train', l)) && existsSync(join(DATA, 'val', l)));
  if (present && !generated) {
    return {
      labels,
      source: 'cats_vs_dogs',
      train: Object.fromEntries(labels.map((l) => [l, sample('train', l, trainCount)])),
      test: Object.fromEntries(labels.map((l) => [l, sample('val', l, testCount)])),
    };
  }
  if (!present) console.log('# no cats_vs_dogs photos in the shared data folder: generated stripes and dots stand in for them');
  const images = await page.evaluate(generate, { count: trainCount + testCount });
  const files = (kind) => images[kind].map((base64, i) => ({ name: `${kind}.${i}.png`, mimeType: 'image/png', buffer: Buffer.from(base64, 'base64') }));
  const stripes = files('stripes');
  const dots = files('dots');
  return {
    labels: ['stripes', 'dots'],
    source: 'generated',
    train: { stripes: stripes.slice(0, trainCount), dots: dots.slice(0, trainCount) },
    test: { stripes: stripes.slice(trainCount), dots: dots.slice(trainCount) },
  };
}

// Runs in the page: random stripes and random dots as PNGs (base64).
async function generate({ count }) {
  const random = (() => {
    let s = 12345;
    return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  })();
  const colour = () => `hsl(${Math.floor(random() * 360)} 70% ${30 + Math.floor(random() * 40)}%)`;
  const encode = async (canvas) => {
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  };
  const out = { stripes: [], dots: [] };
  for (let i = 0; i < count; i++) {
    const a = new OffscreenCanvas(160, 160);
    const ca = a.getContext('2d');
    ca.fillStyle = colour();
    ca.fillRect(0, 0, 160, 160);
    ca.fillStyle = colour();
    const width = 6 + random() * 10;
    for (let x = random() * width; x < 160; x += 2 * width) ca.fillRect(0, x, 160, width);
    out.stripes.push(await encode(a));
    const b = new OffscreenCanvas(160, 160);
    const cb = b.getContext('2d');
    cb.fillStyle = colour();
    cb.fillRect(0, 0, 160, 160);
    cb.fillStyle = colour();
    for (let d = 0; d < 12; d++) {
      cb.beginPath();
      cb.arc(random() * 160, random() * 160, 6 + random() * 12, 0, 2 * Math.PI);
      cb.fill();
    }
    out.dots.push(await encode(b));
  }
  return out;
}
