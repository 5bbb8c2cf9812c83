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

// The browser's decoder: createImageBitmap, else an <img> (browsers before
// Safari 15 have no createImageBitmap). {width, height, source, close()}.
async function decodeInBrowser(file) {
  if (typeof createImageBitmap === 'function') {
    const bitmap = await createImageBitmap(file);
    return { width: bitmap.width, height: bitmap.height, source: bitmap, close: () => bitmap.close() };
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return { width: img.naturalWidth, height: img.naturalHeight, source: img, close: () => {} };
  } finally {
    URL.revokeObjectURL(url);
  }
}

// A PNG of the decoded image: OffscreenCanvas, else a <canvas> (browsers
// before Safari 16.4 have no OffscreenCanvas).
async function toPng({ width, height, source }) {
  if (typeof OffscreenCanvas === 'function') {
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext('2d').drawImage(source, 0, 0);
    return canvas.convertToBlob({ type: 'image/png' });
  }
  const canvas = Object.assign(document.createElement('canvas'), { width, height });
  canvas.getContext('2d').drawImage(source, 0, 0);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode a PNG'))), 'image/png'));
}

async function check(file) {
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
    if (DECODER_TYPES.has(file.type) || (!file.type && DECODER_NAME.test(name))) return { blob: file, name };
    return { blob: await toPng(decoded), name };
  } finally {
    decoded.close();
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
