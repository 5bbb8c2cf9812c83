// Files chosen, dropped or captured become project images: each is checked
// by the browser's own decoder first, so that a corrupt file or a non-image
// is reported at once rather than in the middle of training. Formats the
// classifier's decoder does not read (GIF, BMP, WebP, AVIF...) are converted
// to PNG. Images for a class also get their thumbnail and, when large, their
// training copy here, from the decode that checks them.
import { decodeInBrowser } from './browser_decode.js';
import { encodeDrawn } from './canvas_encode.js';
import { thumbnailOf } from './thumbnails.js';
import { trainingCopyOf } from './training_copy.js';

const DECODER_TYPES = new Set(['image/jpeg', 'image/png']);
const IMAGE_NAME = /\.(jpe?g|png|gif|bmp|webp|avif)$/i;
const DECODER_NAME = /\.(jpe?g|png)$/i;
const MAX_BYTES = 50 * 1024 * 1024;
const PARALLEL = 6;

async function check(file, thumbnails) {
  const name = file.name || 'image';
  if (!file.type.startsWith('image/') && !IMAGE_NAME.test(name)) throw new Error(`${name} is not an image${file.type ? ` (${file.type})` : ''}.`);
  if (file.size > MAX_BYTES) throw new Error(`${name} is larger than ${MAX_BYTES / 1024 / 1024} MB.`);
  if (file.size === 0) throw new Error(`${name} is empty.`);
  let decoded;
  try {
    decoded = await decodeInBrowser(file);
  } catch {
    throw new Error(`${name} cannot be read: the image is corrupt or in a format this browser does not support.`);
  }
  try {
    const readable = DECODER_TYPES.has(file.type) || (!file.type && DECODER_NAME.test(name));
    // A thumbnail that cannot be made now is made when the image is first shown.
    // Without a training copy, training decodes the original: slower, same result.
    const [blob, thumbnail, trainingCopy] = await Promise.all([
      readable ? file : encodeDrawn(decoded, decoded, { type: 'image/png' }),
      thumbnails ? thumbnailOf(decoded).catch(() => undefined) : undefined,
      thumbnails ? trainingCopyOf(decoded).catch(() => undefined) : undefined,
    ]);
    return thumbnails ? { blob, name, thumbnail, trainingCopy } : { blob, name };
  } finally {
    decoded.close();
  }
}

/**
 * Checks files PARALLEL at a time, yielding after each group
 * {images: [{blob, name, thumbnail?, trainingCopy?}], problems: [message], done, total}:
 * a caller adds what is checked as it comes, and stops by leaving the loop.
 * `thumbnails`: also make each image's thumbnail and training copy (the
 * images of a class; predictions need neither).
 */
export async function* checkImages(files, { thumbnails = false } = {}) {
  const list = Array.from(files);
  for (let start = 0; start < list.length; start += PARALLEL) {
    const settled = await Promise.allSettled(list.slice(start, start + PARALLEL).map((file) => check(file, thumbnails)));
    yield {
      images: settled.filter((o) => o.status === 'fulfilled').map((o) => o.value),
      problems: settled.filter((o) => o.status === 'rejected').map((o) => o.reason.message),
      done: Math.min(list.length, start + PARALLEL),
      total: list.length,
    };
  }
}

/** Checks files; resolves to {images: [{blob, name}], problems: [message]}. */
export async function readImages(files) {
  const images = [];
  const problems = [];
  for await (const group of checkImages(files)) {
    images.push(...group.images);
    problems.push(...group.problems);
  }
  return { images, problems };
}
