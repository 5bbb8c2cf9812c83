// A classifier small enough to train in a test: a random 3x3 convolution
// over reddish or bluish noise pictures (two classes it tells apart),
// each added with a key named after its class and number.
import { mirrorImages } from '../../wasm/js/transfer/image_batches.js';
import { encodePng } from './png_fixtures.mjs';

export const SIZE = 24;

/** A PNG of reddish ('red') or bluish noise, the same for the same kind and seed. */
export function picture(kind, seed) {
  let s = seed * 7919 + (kind === 'red' ? 1 : 2);
  const random = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pixels = new Uint8Array(SIZE * SIZE * 3);
  for (let i = 0; i < SIZE * SIZE; i++) {
    const base = kind === 'red' ? [200, 60, 60] : [60, 60, 200];
    pixels.set(base.map((c) => Math.max(0, Math.min(255, c + (random() - 0.5) * 120))), i * 3);
  }
  return encodePng(SIZE, SIZE, pixels);
}

function backbone(tk) {
  tk.setSeed(3);
  const input = tk.input({ shape: [SIZE, SIZE, 3] });
  const conv = tk.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, activation: 'relu', name: 'conv' }).apply(input);
  return tk.model({ inputs: input, outputs: conv });
}

/** An ImageClassifier on that backbone with counts[kind] pictures of each kind. */
export async function smallClassifier(tk, counts, options = {}) {
  const c = await tk.ImageClassifier.fromBackbone(backbone(tk), { cutLayer: 'conv', scale: 1 / 255, offset: 0, ...options });
  for (const [kind, n] of Object.entries(counts)) for (let i = 0; i < n; i++) c.addExample(picture(kind, i), kind, { key: `${kind}${i}` });
  return c;
}

/** `model`'s output on one picture decoded as the classifier decodes it (or on its mirror), computed apart. */
export async function outputOn(tk, model, image, { mirror = false } = {}) {
  const pixels = await tk.image.decodeAsync(image, { size: [SIZE, SIZE], crop: 'center', scale: 1, offset: 0 });
  const batch = pixels.reshape([1, SIZE, SIZE, 3]);
  const input = mirror ? mirrorImages(tk, batch) : batch;
  const out = model.predict(input);
  const values = Array.from(out.dataSync());
  [pixels, batch, input, out].forEach((t) => t.dispose());
  return values;
}
