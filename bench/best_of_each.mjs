// Timing shared by the benchmarks that race several implementations.

/**
 * Best time (seconds) of each function over `runs` rounds, after `warmup`
 * untimed calls of each (V8 optimizes WebAssembly only after the first
 * calls). The functions take turns within a round, so that a busy moment of
 * the machine does not fall on one of them only.
 */
export async function bestOfEach(fns, runs, warmup) {
  for (const fn of Object.values(fns)) for (let i = 0; i < warmup; i++) await fn();
  const t = Object.fromEntries(Object.keys(fns).map((k) => [k, Infinity]));
  for (let i = 0; i < runs; i++) {
    for (const [k, fn] of Object.entries(fns)) {
      const start = performance.now();
      await fn();
      t[k] = Math.min(t[k], (performance.now() - start) / 1000);
    }
  }
  return t;
}
