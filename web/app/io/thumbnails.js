// Smaller copies of images, as JPEGs. Thumbnails for the class list: a
// small JPEG of each image, made once (when the image is added, or the first
// time an image without one is shown) and stored with it, so that a class of
// thousands of photos shows kilobytes per image instead of decoding every
// full photo. Training copies (training_copy.js) are drawn the same way.
import { decodeInBrowser } from './browser_decode.js';

const LONG_SIDE = 96;
const QUALITY = 0.8;
// JPEG has no transparency: transparent pixels show this instead of black.
const BACKGROUND = '#fff';

/** The size of an image of width x height scaled to longSide (default: the thumbnail's) on its long side, never enlarged. */
export function scaledSize(width, height, longSide = LONG_SIDE) {
  const scale = Math.min(1, longSide / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

// A 2D canvas of this size: OffscreenCanvas, else a <canvas> (browsers before
// Safari 16.4 have no OffscreenCanvas). {context, encode()} with encode
// resolving to a JPEG Blob.
function canvasOf({ width, height }, quality) {
  if (typeof OffscreenCanvas === 'function') {
    const canvas = new OffscreenCanvas(width, height);
    return { context: canvas.getContext('2d'), encode: () => canvas.convertToBlob({ type: 'image/jpeg', quality }) };
  }
  const canvas = Object.assign(document.createElement('canvas'), { width, height });
  return {
    context: canvas.getContext('2d'),
    encode: () => new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode a JPEG'))), 'image/jpeg', quality)),
  };
}

/** A JPEG of a decoded image {width, height, source} (an ImageBitmap or an <img>) drawn at size {width, height}. */
export function scaledJpeg({ source }, size, quality = QUALITY) {
  const { context, encode } = canvasOf(size, quality);
  context.fillStyle = BACKGROUND;
  context.fillRect(0, 0, size.width, size.height);
  context.imageSmoothingQuality = 'high';
  context.drawImage(source, 0, 0, size.width, size.height);
  return encode();
}

/** A JPEG thumbnail of a decoded image {width, height, source}. */
export function thumbnailOf(decoded) {
  return scaledJpeg(decoded, scaledSize(decoded.width, decoded.height));
}

/** The thumbnail of an image Blob (for images stored before thumbnails were, or opened from a project file). */
export async function thumbnailOfBlob(blob) {
  const decoded = await decodeInBrowser(blob);
  try {
    return await thumbnailOf(decoded);
  } finally {
    decoded.close();
  }
}
