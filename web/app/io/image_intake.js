// Files chosen, dropped or captured become project images: each is checked
// by the browser's own decoder first, so that a corrupt file or a non-image
// is reported at once rather than in the middle of training. Formats the
// classifier's decoder does not read (GIF, BMP, WebP, AVIF...) are converted
// to PNG.
const DECODER_TYPES = new Set(['image/jpeg', 'image/png']);
const IMAGE_NAME = /\.(jpe?g|png|gif|bmp|webp|avif)$/i;
const DECODER_NAME = /\.(jpe?g|png)$/i;
const MAX_BYTES = 50 * 1024 * 1024;
const PARALLEL = 6;

async function check(file) {
  const name = file.name || 'image';
  if (!file.type.startsWith('image/') && !IMAGE_NAME.test(name)) throw new Error(`${name} is not an image${file.type ? ` (${file.type})` : ''}.`);
  if (file.size > MAX_BYTES) throw new Error(`${name} is larger than ${MAX_BYTES / 1024 / 1024} MB.`);
  if (file.size === 0) throw new Error(`${name} is empty.`);
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${name} cannot be read: the image is corrupt or in a format this browser does not support.`);
  }
  try {
    if (DECODER_TYPES.has(file.type) || (!file.type && DECODER_NAME.test(name))) return { blob: file, name };
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    canvas.getContext('2d').drawImage(bitmap, 0, 0);
    return { blob: await canvas.convertToBlob({ type: 'image/png' }), name };
  } finally {
    bitmap.close();
  }
}

/** Checks files; resolves to {images: [{blob, name}], problems: [message]}. */
export async function readImages(files) {
  const list = Array.from(files);
  const images = [];
  const problems = [];
  for (let start = 0; start < list.length; start += PARALLEL) {
    const settled = await Promise.allSettled(list.slice(start, start + PARALLEL).map(check));
    for (const outcome of settled) {
      if (outcome.status === 'fulfilled') images.push(outcome.value);
      else problems.push(outcome.reason.message);
    }
  }
  return { images, problems };
}
