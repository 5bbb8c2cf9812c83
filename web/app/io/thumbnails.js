// Smaller copies of images, as JPEGs. Thumbnails for the class list: a
// small JPEG of each image, made once (when the image is added, or the first
// time an image without one is shown) and stored with it, so that a class of
// thousands of photos shows kilobytes per image instead of decoding every
// full photo.
import { decodeInBrowser } from './browser_decode.js';
import { encodeDrawn, scaledSize } from './canvas_encode.js';

const LONG_SIDE = 96;
const QUALITY = 0.8;
// JPEG has no transparency: transparent pixels show this instead of black.
const BACKGROUND = '#fff';

/** A JPEG thumbnail of a decoded image {width, height, source}. */
export function thumbnailOf(decoded) {
  return encodeDrawn(decoded, scaledSize(decoded.width, decoded.height, LONG_SIDE), { type: 'image/jpeg', quality: QUALITY, background: BACKGROUND });
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
