// Images through a classifier's network, a batch at a time: decoding to raw
// pixels, class probabilities, top classes and a validation report. Shared by
// ImageClassifier and SavedImageClassifier.
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

export async function evaluateImages(tk, model, classNames, size, crop, examples, { onProgress } = {}) {
  const labels = examples.map((e) => {
    const i = classNames.indexOf(e.label);
    if (i < 0) throw new ValueError(`class '${e.label}' is not one of the model's classes (${classNames.join(', ')})`);
    return i;
  });
  const probabilities = new Float32Array(examples.length * classNames.length);
  for (let start = 0; start < examples.length; start += DECODE_BATCH) {
    const batch = examples.slice(start, start + DECODE_BATCH);
    probabilities.set(await probabilitiesOf(tk, model, size, crop, batch.map((e) => e.image)), start * classNames.length);
    onProgress?.({ phase: 'evaluate', done: start + batch.length, total: examples.length });
  }
  return classificationReport(probabilities, labels, classNames);
}

async function probabilitiesOf(tk, model, size, crop, images) {
  const batch = await decodeImages(tk, images, size, crop);
  const out = model.predict(batch);
  const values = out.dataSync();
  batch.dispose();
  out.dispose();
  return values;
}

export async function predictImages(tk, model, classNames, size, crop, images, topK) {
  const k = classNames.length;
  const values = await probabilitiesOf(tk, model, size, crop, images);
  return images.map((_, i) =>
    classNames
      .map((className, j) => ({ className, probability: values[i * k + j] }))
      .sort((a, b) => b.probability - a.probability)
      .slice(0, topK),
  );
}
