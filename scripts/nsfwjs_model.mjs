// nsfwjs keeps each model's model.json and weight shards as UMD JavaScript
// modules (a shard as a base64 string). This decodes one model folder of the
// installed package into TF.js artifacts: {modelJson, weightData}, the shards
// concatenated in manifest order.
import { createRequire } from 'node:module';
import { join } from 'node:path';

export function decodeNsfwjsModel(root, name) {
  const require = createRequire(join(root, 'package.json'));
  const dir = join(root, 'node_modules', 'nsfwjs', 'dist', 'models', name);
  const modelJson = require(join(dir, 'model.min.js'));
  if (!modelJson?.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new Error(`nsfwjs does not have the expected ${name} model.json`);
  }
  const shards = modelJson.weightsManifest.flatMap((group) => group.paths).map((path) => {
    const base64 = require(join(dir, `${path}.min.js`));
    if (typeof base64 !== 'string') throw new Error(`nsfwjs's ${name} shard ${path} is not a base64 string`);
    return Buffer.from(base64, 'base64');
  });
  return { modelJson, weightData: new Uint8Array(Buffer.concat(shards)) };
}

/**
 * Writes one model folder of the installed package as plain TF.js files:
 * dir/model.json and its weights as one shard, dir/group1-shard1of1.
 * Resolves to the two paths.
 */
export async function writeNsfwjsModel(root, name, dir) {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { modelJson, weightData } = decodeNsfwjsModel(root, name);
  const weightsManifest = [{ paths: ['group1-shard1of1'], weights: modelJson.weightsManifest.flatMap((group) => group.weights) }];
  await mkdir(dir, { recursive: true });
  const files = [join(dir, 'model.json'), join(dir, 'group1-shard1of1')];
  await writeFile(files[0], JSON.stringify({ ...modelJson, weightsManifest }));
  await writeFile(files[1], weightData);
  return files;
}
