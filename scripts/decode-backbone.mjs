// Build step: decodes the Keras MobileNetV2 that ships inside the npm package
// nsfwjs@4.4.0 (MIT) into the TF.js layers format, under dist/models/.
//
// nsfwjs keeps model.json and its uint8-quantized weight shard as UMD
// JavaScript modules (the shard as a base64 string). They are decoded here,
// never committed and never downloaded at run time. The NSFW head is kept in
// the file; Tanuki cuts the network below it when it is used as a backbone.
import { createRequire } from 'node:module';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'models', 'mobilenet_v2');
const require = createRequire(join(root, 'package.json'));
const source = join(root, 'node_modules', 'nsfwjs', 'dist', 'models', 'mobilenet_v2');

const done = await stat(join(out, 'model.json')).then(() => true, () => false);
if (done && !process.argv.includes('--force')) process.exit(0);

const model = require(join(source, 'model.min.js'));
const shardBase64 = require(join(source, 'group1-shard1of1.min.js'));
if (!model?.modelTopology || !Array.isArray(model.weightsManifest) || typeof shardBase64 !== 'string') {
  throw new Error('nsfwjs@4.4.0 does not have the expected mobilenet_v2 files');
}
const shard = Buffer.from(shardBase64, 'base64');
const manifest = model.weightsManifest.map((group) => ({ ...group, paths: ['weights.bin'] }));
if (manifest.length !== 1) throw new Error('expected one weight group in the nsfwjs model');

const tmp = `${out}.tmp-${process.pid}`;
await rm(tmp, { recursive: true, force: true });
await mkdir(tmp, { recursive: true });
await writeFile(join(tmp, 'weights.bin'), shard);
await writeFile(join(tmp, 'model.json'), JSON.stringify({ ...model, format: 'layers-model', weightsManifest: manifest }));
await rm(out, { recursive: true, force: true });
await mkdir(dirname(out), { recursive: true });
await rename(tmp, out);
console.log(`decoded the bundled MobileNetV2 backbone (${shard.length} bytes of weights) into dist/models/mobilenet_v2`);
