// Load -> predict with pretrained backbones: prints the bundled backbone's and
// an ImageNet MobileNetV1's summaries, then the top-5 ImageNet classes of a
// few photos.
// Run: node examples/imagenet_predict.mjs [MODEL_DIR] [PHOTO...]
// (defaults: ../shared/models/mobilenet_v1_0.75_224 and photos from ../shared/data)
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import tanuki from 'tanuki';

const [modelDir = '../shared/models/mobilenet_v1_0.75_224', ...args] = process.argv.slice(2);
if (!existsSync(join(modelDir, 'model.json'))) {
  console.log(`skipped: no model at ${modelDir} (pass a folder with model.json, metadata.json and weights)`);
  process.exit(0);
}
const photos = args.length
  ? args
  : ['cats_vs_dogs/val/cat', 'cats_vs_dogs/val/dog', 'flowers5/train/daisy']
      .map((d) => join('../shared/data', d))
      .filter(existsSync)
      .flatMap((d) => readdirSync(d).sort().slice(0, 2).map((f) => join(d, f)));

const tk = await tanuki.load();

const bundled = await tk.loadBackbone('bundled');
console.log(`Bundled backbone: ${bundled.name}`);
bundled.full.summary(100, undefined, (text) => console.log(text.split('\n').slice(-5).join('\n')));

const model = await tk.loadLayersModel(modelDir);
model.summary(100, undefined, (text) => console.log(text.split('\n').slice(-5).join('\n')));
const { labels } = JSON.parse(await readFile(join(modelDir, 'metadata.json'), 'utf8'));

for (const photo of photos) {
  // Keras MobileNet input: RGB 224x224 scaled to [-1, 1].
  const x = tk.image.decode(photo, { size: [224, 224], crop: 'center', scale: 1 / 127.5, offset: -1 });
  const p = model.predict(x).dataSync();
  x.dispose();
  const top5 = Array.from(p.keys()).sort((a, b) => p[b] - p[a]).slice(0, 5);
  console.log(`\n${photo}`);
  for (const i of top5) console.log(`  ${(100 * p[i]).toFixed(1).padStart(5)}%  ${labels[i]}`);
}
