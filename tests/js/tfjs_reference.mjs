// TensorFlow.js (core + layers + cpu backend, 4.22) as the reference oracle.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

await tf.setBackend('cpu');
export { tf, tfl };

/** Loads a layers-format model from a directory (or artifacts) into TF.js. */
export async function loadTfjsModel(dirOrArtifacts) {
  let modelJson;
  let weightData;
  if (typeof dirOrArtifacts === 'string') {
    modelJson = JSON.parse(await readFile(join(dirOrArtifacts, 'model.json'), 'utf8'));
    const parts = [];
    for (const group of modelJson.weightsManifest) for (const p of group.paths) parts.push(await readFile(join(dirOrArtifacts, p)));
    weightData = Buffer.concat(parts);
  } else {
    ({ modelJson, weightData } = dirOrArtifacts);
  }
  const bytes = new Uint8Array(weightData);
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    }),
  );
}

/**
 * max |a - b| / max(max |b|, floor). The floor keeps quantities that are
 * zero in exact arithmetic (a bias before BatchNormalization in training
 * mode has gradient 0 up to rounding) from being judged on rounding noise.
 */
export function maxRelativeDifference(a, b, floor = 1e-6) {
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}
