// Shared by the JavaScript tests: one loaded instance per test file.
import tanuki from 'tanuki';

let instance;
export async function loadTanuki() {
  instance ??= await tanuki.load();
  return instance;
}

export function sameValues(a, b) {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}
