// Makes Emscripten 3.1.6's threaded ES-module glue (-sEXPORT_ES6 with
// -sENVIRONMENT=...,node) run in Node: its Node branch calls require() and
// reads __dirname, which an ES module does not have. The prologue defines both
// from import.meta.url when running in Node and leaves browsers untouched.
// Its helper workers import the glue by the URL the main thread sends them,
// which is unset unless Module.mainScriptUrlOrBlob is given: they then guess
// "./tanuki-threaded.mjs" beside the worker script, wrong once a bundler has
// renamed the glue; the patch sends the glue's own URL (import.meta.url).
// Idempotent: a patched file is left as it is. The worker script next to it is
// CommonJS: a package.json there says so to Node (the package is "module").
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const file = process.argv[2];
const marker = '// tanuki: node prologue';
const prologue = `${marker}
const require = typeof process == 'object' && typeof process.versions?.node == 'string'
  ? (await import('node:module')).createRequire(import.meta.url) : undefined;
const __dirname = require ? require('node:path').dirname(require('node:url').fileURLToPath(import.meta.url)) : '';
`;
const sendGlue = ['"urlOrBlob":Module["mainScriptUrlOrBlob"],', '"urlOrBlob":Module["mainScriptUrlOrBlob"]||import.meta.url,'];
let source = readFileSync(file, 'utf8');
if (!source.startsWith(marker)) source = prologue + source;
if (!source.includes(sendGlue[1])) {
  if (!source.includes(sendGlue[0])) throw new Error(`${file}: the worker's "load" message was not found`);
  source = source.replace(sendGlue[0], sendGlue[1]);
}
writeFileSync(file, source);
writeFileSync(join(dirname(file), 'package.json'), '{ "type": "commonjs" }\n');
