// The browser benchmark's summary table (bench/browser.mjs; bench/run.mjs
// prints it after its Node table): ours against TF.js's wasm backend, each
// pair measured in the same Chromium page, with the ratio ours/theirs.
// Records are those of bench/browser.mjs (env: 'chromium').

/** The table, as text, of the Chromium records among `records`. */
export function browserSummary(records) {
  const mine = records.filter((r) => r.env === 'chromium');
  if (!mine.some((r) => r.task !== 'version')) return '\nChromium: not measured';
  const find = (lib, task) => mine.find((r) => r.lib === lib && r.task === task);
  const fmt = (r, key) => (!r ? 'n/a' : r.error ? 'fails' : key === 'seconds' ? `${r.seconds.toFixed(3)} s` : r[key].toFixed(1));
  const ratio = (a, b, key) => {
    if (!a || !b || a.error || b.error) return 'n/a';
    return `${(key === 'seconds' ? b.seconds / a.seconds : a[key] / b[key]).toFixed(2)}x`;
  };
  const rows = [];
  const pair = (task, key, a, b, theirsTask = task, shownTask = task) => {
    const ra = find(a, task), rb = find(b, theirsTask);
    rows.push([shownTask, a, fmt(ra, key), b + (theirsTask === task ? '' : theirsTask.slice(task.length)), fmt(rb, key), ratio(ra, rb, key)]);
  };
  for (const n of [1, 2]) {
    const ours = `tanuki ${n} thread${n > 1 ? 's' : ''}`, theirs = `tfjs wasm ${n} thread${n > 1 ? 's' : ''}`;
    for (const batch of [1, 32]) {
      pair(`inference b${batch}`, 'imgPerSec', ours, theirs);
      pair(`inference b${batch}`, 'imgPerSec', ours, theirs, `inference b${batch} fused`);
    }
  }
  for (const [lib, task, theirsTask] of [['tanuki', 'inference b32', 'inference b32'], ['tfjs wasm', 'inference b32 fused', 'inference b32 fused']]) {
    const one = find(`${lib} 1 thread`, task), two = find(`${lib} 2 threads`, theirsTask);
    if (one && two && !one.error && !two.error) rows.push([`2-thread speed-up, ${task}`, lib, `${(two.imgPerSec / one.imgPerSec).toFixed(2)}x`, '', '', '']);
  }
  for (const task of ['fine-tune step b8 all layers', 'fine-tune step b8 top block']) {
    pair(task, 'imgPerSec', 'tanuki 1 thread', 'tfjs wasm 1 thread');
    pair(task, 'imgPerSec', 'tanuki 2 threads', 'tfjs wasm 2 threads');
  }
  pair('head-only 10 epochs', 'seconds', 'tanuki 1 thread', 'tfjs wasm 1 thread');
  pair('head-only 10 epochs', 'seconds', 'tanuki 2 threads', 'tfjs wasm 2 threads');
  for (const n of [1, 2])
    for (const when of ['cold', 'warm']) pair(`first prediction ${when}`, 'seconds', `tanuki ${n} thread${n > 1 ? 's' : ''}`, `tfjs wasm ${n} thread${n > 1 ? 's' : ''}`);
  for (const lib of ['tanuki 1 thread', 'tanuki 2 threads']) {
    const m = find(lib, 'peak memory');
    if (m) rows.push(['peak wasm heap (MB)', lib, (m.heapBytes / 2 ** 20).toFixed(0), '', '', '']);
  }
  const header = ['Chromium task', 'ours', 'value', 'theirs', 'value', 'ours/theirs'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  const version = find('chromium', 'version')?.version;
  return [
    '',
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    `\n(Chromium ${version ?? '?'} headless, cross-origin isolated; img/s where higher is better; head-only and first prediction in seconds, the ratio theirs/ours)`,
  ].join('\n');
}
