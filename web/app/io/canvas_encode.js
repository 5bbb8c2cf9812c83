// Decoded images drawn on a 2D canvas and encoded as PNG or JPEG: the
// intake's PNG of a format the classifier's decoder does not read, the
// thumbnails and the training copies. OffscreenCanvas, else a <canvas>
// (browsers before Safari 16.4 have no OffscreenCanvas).
const NAMES = { 'image/png': 'PNG', 'image/jpeg': 'JPEG' };

/** The size of an image of width x height scaled to longSide on its long side, never enlarged. */
export function scaledSize(width, height, longSide) {
  const scale = Math.min(1, longSide / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * A decoded image {source} (an ImageBitmap or an <img>) drawn at size
 * {width, height} and encoded as `type` (with `quality` for JPEG). A
 * `background` fills the canvas first: JPEG has no transparency.
 */
export function encodeDrawn({ source }, { width, height }, { type, quality, background } = {}) {
  const offscreen = typeof OffscreenCanvas === 'function';
  const canvas = offscreen ? new OffscreenCanvas(width, height) : Object.assign(document.createElement('canvas'), { width, height });
  const context = canvas.getContext('2d');
  if (background) {
    context.fillStyle = background;
    context.fillRect(0, 0, width, height);
  }
  context.imageSmoothingQuality = 'high';
  context.drawImage(source, 0, 0, width, height);
  if (offscreen) return canvas.convertToBlob({ type, quality });
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`the browser could not encode a ${NAMES[type] ?? type}`))), type, quality));
}
