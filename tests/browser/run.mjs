// Runs the browser test files one at a time (they check main-thread long
// tasks and would disturb each other's timing), reporting TAP.
//
// Three real browsers on a shared machine now and then fail a step for
// reasons of their own: WebKitGTK's page process dies in a long run
// (WebKitWebDriver: "session deleted because of page crash or hang"; the
// WebKit driver then says "the page is gone" and adds the browser's last
// output), or a page waits on a worker that never answers. As Playwright's
// retries do, a file whose failures all lie in one engine's suites runs
// once more in that engine alone, and the run passes only if that second
// attempt does; the first attempt's failures are listed at the end as
// flaky, never hidden. A failure in several engines, or in more than
// MAX_RERUNS files, is not retried: that is the code, not the browsers.
// Usage: node tests/browser/run.mjs [FILE...] (default: every *.test.mjs here).
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { run } from 'node:test';
import { tap } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';

const MAX_RERUNS = 2;
const here = dirname(fileURLToPath(import.meta.url));
const files = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join(here, f));

/** Runs files in sequence, piping TAP to stdout; resolves to the failures' events. */
async function runFiles(list) {
  const failures = [];
  const stream = run({ files: list, concurrency: 1 });
  stream.on('test:fail', (event) => failures.push(event));
  await new Promise((resolve, reject) => {
    const out = stream.compose(tap);
    out.on('end', resolve);
    out.on('error', reject);
    out.pipe(process.stdout, { end: false });
  });
  return failures;
}

// The first line of a failure's own error (node:test wraps what was thrown
// as the cause of its own error).
function firstLine(error) {
  const own = error?.cause ?? error;
  return String(own?.message ?? own ?? '').split('\n')[0] || own?.name || '(no message)';
}

// Every suite is named "... (engine)": the one engine a file's failures lie
// in, or undefined (several engines, or a failure outside any suite).
function engineOf(list) {
  const engines = new Set(list.filter((f) => f.nesting === 0).map((f) => f.name.match(/\((chromium|firefox|webkit)\)$/)?.[1]));
  return engines.size === 1 ? [...engines][0] : undefined;
}

const failures = await runFiles(files);
const byFile = failures.reduce((all, f) => all.set(f.file, [...(all.get(f.file) ?? []), f]), new Map());
const retryable = [...byFile].map(([file, list]) => ({ file, list, engine: file && engineOf(list) })).filter((f) => f.engine);
let failed = byFile.size > 0;
if (byFile.size && retryable.length === byFile.size && byFile.size <= MAX_RERUNS) {
  failed = false;
  const flaky = [];
  for (const { file, list, engine } of retryable) {
    const name = relative(process.cwd(), file);
    console.log(`# ${name} failed in ${engine} only: running it once more in ${engine}`);
    process.env.TANUKI_BROWSERS = engine;
    const second = await runFiles([file]);
    if (second.length) failed = true;
    else for (const f of list.filter((e) => !['subtestsFailed', 'cancelledByParent'].includes(e.details?.error?.failureType))) flaky.push(`${name} (${engine}): ${f.name}: ${firstLine(f.details?.error)}`);
  }
  if (flaky.length) console.log(`# flaky: failed once, then passed:\n${flaky.map((line) => `#   ${line}`).join('\n')}`);
}
process.exitCode = failed ? 1 : 0;
