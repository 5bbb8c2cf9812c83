// Node's file system, path and os modules for reading images by path (and
// for fit()'s temporary feature file), or null in browsers. Loaded once when
// the package loads, so that tk.image.decode(path) can stay synchronous like
// the rest of decode().
const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';

export const fs = isNode ? await import('node:fs') : null;
export const path = isNode ? await import('node:path') : null;
export const os = isNode ? await import('node:os') : null;
