// Shared by the ONNX tests: layout conversions, comparisons, and finding a
// Python that has the onnx module (python3-onnx).
import { execFileSync } from 'node:child_process';

export function findOnnxPython() {
  for (const candidate of [process.env.TANUKI_PYTHON, 'python3', '/usr/bin/python3']) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['-c', 'import onnx'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

export function nhwcToNchw(x, n, h, w, c) {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let z = 0; z < w; z++)
        for (let k = 0; k < c; k++) out[((b * c + k) * h + y) * w + z] = x[((b * h + y) * w + z) * c + k];
  return out;
}

export function nchwToNhwc(x, n, c, h, w) {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let k = 0; k < c; k++)
      for (let y = 0; y < h; y++)
        for (let z = 0; z < w; z++) out[((b * h + y) * w + z) * c + k] = x[((b * c + k) * h + y) * w + z];
  return out;
}

export function maxAbsDifference(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}

/** Deterministic images in [-1, 1] (NHWC); a tensor when `tk` is given. */
export function randomImages(n, h, w, c, seed, tk) {
  const values = new Float32Array(n * h * w * c);
  let s = seed >>> 0;
  for (let i = 0; i < values.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    values[i] = (s / 2 ** 32) * 2 - 1;
  }
  return tk ? tk.tensor(values, [n, h, w, c]) : values;
}
