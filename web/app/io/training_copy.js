// The training copy of a large image: the original is kept for the project
// file and the model's export, and training decodes a copy no larger than
// LONG_SIDE on its long side. A 12-megapixel phone photo then costs the worker
// a 1-megapixel decode per view instead of a twelve times larger one, while the
// backbone, which sees 224 x 224 pixels (448 at most among the catalog's),
// gets the same picture to within JPEG rounding. Images already that small
// train on themselves.
import { encodeDrawn, scaledSize } from './canvas_encode.js';

export const TRAINING_LONG_SIDE = 1024;
const QUALITY = 0.92;
// JPEG has no transparency: transparent pixels train as white, as the thumbnails show them.
const BACKGROUND = '#fff';

/** The training copy of a decoded image {width, height, source}, or undefined when the image is small enough. */
export async function trainingCopyOf(decoded) {
  if (Math.max(decoded.width, decoded.height) <= TRAINING_LONG_SIDE) return undefined;
  return encodeDrawn(decoded, scaledSize(decoded.width, decoded.height, TRAINING_LONG_SIDE), { type: 'image/jpeg', quality: QUALITY, background: BACKGROUND });
}
