// Runs the browser test files one at a time (they check main-thread long
// tasks and would disturb each other's timing), reporting TAP.
//
// WebKitGTK's page process now and then dies in a long run (WebKitWebDriver:
// "session deleted because of page crash or hang"), taking every later step
// of that suite with it. A file whose only failures are such a lost page
// runs once more in WebKit, saying so with the browser's last output (the
// driver adds it to the error); a second loss, or any other failure, fails
// the run. Usage: node tests/browser/run.mjs [FILE...] (default: every
// *.test.mjs here).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from 'node:test';
import { tap } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';
import { PAGE_LOST } from './drivers/webkit.mjs';

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

// The text of a failure's error and of its causes (node:test wraps the
// thrown error as the cause of its own).
const errorText = (error) => {
  const parts = [];
  for (let e = error; e && parts.length < 5; e = e.cause) parts.push(`${e.name ?? ''}: ${e.message ?? e}`);
  return parts.join('\n');
};

// A failure that is only the echo of another: a suite whose tests failed,
// a test cancelled because its suite or hook already failed.
const echoes = new Set(['subtestsFailed', 'cancelledByParent']);
const isPageLost = (event) => errorText(event.details?.error).includes(PAGE_LOST);

const failures = await runFiles(files);
const byFile = failures.reduce((files, f) => files.set(f.file, [...(files.get(f.file) ?? []), f]), new Map());
const again = [...byFile].filter(([, list]) => {
  const own = list.filter((f) => !echoes.has(f.details?.error?.failureType));
  return own.length > 0 && own.every(isPageLost);
}).map(([file]) => file);
const others = [...byFile.keys()].filter((file) => !again.includes(file));

let failed = others.length > 0;
if (again.length) {
  console.log(`# WebKit lost its page in ${again.join(', ')} (above: the browser's last output); running ${again.length === 1 ? 'that file' : 'those files'} once more in WebKit`);
  process.env.TANUKI_BROWSERS = 'webkit';
  const second = await runFiles(again);
  failed ||= second.length > 0;
}
process.exitCode = failed ? 1 : 0;
