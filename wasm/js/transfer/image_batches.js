// Images through a classifier's network, a batch at a time: decoding to raw
// pixels, class probabilities, top classes and a validation report. Shared by
// ImageClassifier and SavedImageClassifier. With `flip`, an image's class
// probabilities are the mean of the network's on the image and on its
// horizontal mirror (test-time augmentation): a classifier trained on
// randomly flipped views gets two looks at each image for one more pass.
import { TanukiError, ValueError } from '../errors.js';
import { concat } from '../tensor.js';
import { classificationReport } from './classification_report.js';

/** Images decoded and run together. */
export const DECODE_BATCH = 16;

/**
 * Images -> one raw-pixel batch [N, h, w, 3] (values 0-255). With onInvalid,
 * an image that cannot be decoded is reported to it (with the error naming
 * the file) and left out; otherwise the error is thrown.
 */
export async function decodeImages(tk, images, [h, w], crop, onInvalid) {
  const tensors = [];
  try {
    for (const image of images) {
      try {
        tensors.push(await tk.image.decodeAsync(image, { size: [h, w], crop, scale: 1, offset: 0 }));
      } catch (error) {
        if (!onInvalid || !(error instanceof TanukiError)) throw error;
        onInvalid(image, error);
      }
    }
    return tensors.length ? concat(tk, tensors) : null;
  } finally {
    tensors.forEach((t) => t.dispose());
  }
}

/** A raw-pixel batch [N, h, w, 3] mirrored left to right, as a new tensor. */
export function mirrorImages(tk, pixels) {
  const [n, h, w, c] = pixels.shape;
  const from = pixels.dataSync();
  const to = new Float32Array(from.length);
  for (let row = 0; row < n * h; row++) {
    const base = row * w * c;
    for (let x = 0; x < w; x++) to.set(from.subarray(base + x * c, base + (x + 1) * c), base + (w - 1 - x) * c);
  }
  return tk.tensor(to, pixels.shape);
}

/** Element-wise mean of two output arrays, into the first: a model's class probabilities on images and on their mirrors. */
export function averageInto(values, mirrored) {
  for (let i = 0; i < values.length; i++) values[i] = (values[i] + mirrored[i]) / 2;
  return values;
}

export async function evaluateImages(tk, model, classNames, size, crop, examples, { onProgress, flip = false } = {}) {
  const labels = examples.map((e) => {
    const i = classNames.indexOf(e.label);
    if (i < 0) throw new ValueError(`class '${e.label}' is not one of the model's classes (${classNames.join(', ')})`);
    return i;
  });
  const probabilities = new Float32Array(examples.length * classNames.length);
  for (let start = 0; start < examples.length; start += DECODE_BATCH) {
    const batch = examples.slice(start, start + DECODE_BATCH);
    probabilities.set(await probabilitiesOf(tk, model, size, crop, batch.map((e) => e.image), flip), start * classNames.length);
    onProgress?.({ phase: 'evaluate', done: start + batch.length, total: examples.length });
  }
  return classificationReport(probabilities, labels, classNames);
}

async function probabilitiesOf(tk, model, size, crop, images, flip) {
  const batch = await decodeImages(tk, images, size, crop);
  const mirrored = flip ? mirrorImages(tk, batch) : null;
  try {
    const values = outputValues(model, batch);
    return mirrored ? averageInto(values, outputValues(model, mirrored)) : values;
  } finally {
    batch.dispose();
    mirrored?.dispose();
  }
}

/** A model's output on `input`, as a Float32Array of its own. */
export function outputValues(model, input) {
  const out = model.predict(input);
  const values = out.dataSync();  // a copy
  out.dispose();
  return values;
}

export async function predictImages(tk, model, classNames, size, crop, images, topK, { flip = false } = {}) {
  const k = classNames.length;
  const values = await probabilitiesOf(tk, model, size, crop, images, flip);
  return images.map((_, i) =>
    classNames
      .map((className, j) => ({ className, probability: values[i * k + j] }))
      .sort((a, b) => b.probability - a.probability)
      .slice(0, topK),
  );
}
