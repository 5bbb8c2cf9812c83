// The browser's own image decoder, for checking added files and making
// thumbnails.

/**
 * Decodes an image Blob with the browser's decoder: createImageBitmap, else
 * an <img> (browsers before Safari 15 have no createImageBitmap). Resolves to
 * {width, height, source, close()}.
 */
export async function decodeInBrowser(blob) {
  if (typeof createImageBitmap === 'function') {
    const bitmap = await createImageBitmap(blob);
    return { width: bitmap.width, height: bitmap.height, source: bitmap, close: () => bitmap.close() };
  }
  const url = URL.createObjectURL(blob);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return { width: img.naturalWidth, height: img.naturalHeight, source: img, close: () => {} };
  } finally {
    URL.revokeObjectURL(url);
  }
}
