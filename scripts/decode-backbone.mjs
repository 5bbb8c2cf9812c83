// Build step: decodes the Keras MobileNetV2 that ships inside the npm package
// nsfwjs@4.4.0 (MIT) into the TF.js layers format, under dist/models/.
//
// nsfwjs keeps model.json and its uint8-quantized weight shard as UMD
// JavaScript modules (the shard as a base64 string). They are decoded here,
// never committed and never downloaded at run time. The NSFW head is kept in
// the file; Tanuki cuts the network below it when it is used as a backbone.
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNsfwjsModel } from './nsfwjs_model.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'models', 'mobilenet_v2');

const done = await stat(join(out, 'model.json')).then(() => true, () => false);
if (done && !process.argv.includes('--force')) process.exit(0);

const { modelJson: model, weightData: shard } = decodeNsfwjsModel(root, 'mobilenet_v2');
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
