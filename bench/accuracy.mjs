// Accuracy of the whole workflow on real photos (evaluation only; the photos
// are not part of the repository). Prints one JSON line per setting and a
// Markdown table for the README.
// Run: node bench/accuracy.mjs [--quick]     (needs ../shared/data and ../shared/models)
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import tanuki from '../wasm/js/index.js';

const shared = '../shared';
const v1 = join(shared, 'models/mobilenet_v1_0.75_224');
const cats = join(shared, 'data/cats_vs_dogs');
const flowers = join(shared, 'data/flowers5/train');
if (!existsSync(cats)) {
  console.log(`skipped: ${cats} is absent`);
  process.exit(0);
}

function folder(dir) {
  return readdirSync(dir).sort().flatMap((c) => readdirSync(join(dir, c)).sort().map((f) => ({ image: join(dir, c, f), label: c })));
}

const settings = [
  { name: 'cats vs dogs, bundled MobileNetV2, head only', backbone: 'bundled', train: join(cats, 'train'), test: join(cats, 'val'), epochs: 20 },
  { name: 'cats vs dogs, bundled MobileNetV2, augmented head (2 views)', backbone: 'bundled', train: join(cats, 'train'), test: join(cats, 'val'), epochs: 20, augment: true, views: 2 },
  { name: 'cats vs dogs, MobileNetV1 0.75 (ImageNet), head only', backbone: v1, train: join(cats, 'train'), test: join(cats, 'val'), epochs: 20 },
  { name: 'flowers5 (20 % held out), MobileNetV1 0.75 (ImageNet), head only', backbone: v1, train: flowers, validationSplit: 0.2, epochs: 30 },
  { name: 'flowers5 (20 % held out), MobileNetV1 0.75, augmented head (4 views) + fine-tuning', backbone: v1, train: flowers, validationSplit: 0.2, epochs: 30, augment: true, views: 4, fineTune: { epochs: 3, layers: 6, learningRate: 1e-4, views: 2 } },
];

const tk = await tanuki.load();
const rows = [];
for (const s of settings) {
  if (s.backbone !== 'bundled' && !existsSync(s.backbone)) {
    console.log(JSON.stringify({ setting: s.name, skipped: `${s.backbone} is absent` }));
    continue;
  }
  const started = Date.now();
  const classifier = await tk.ImageClassifier.fromBackbone(s.backbone);
  for (const e of folder(s.train)) classifier.addExample(e.image, e.label);
  const options = { epochs: s.epochs, seed: 1, augment: Boolean(s.augment), views: s.views, validationSplit: s.validationSplit ?? 0 };
  await classifier.train(options);
  if (s.fineTune) await classifier.fineTune({ ...options, ...s.fineTune });
  const report = s.test ? await classifier.evaluate(folder(s.test)) : classifier.validationReport;
  const seconds = (Date.now() - started) / 1000;
  const row = { setting: s.name, accuracy: report.accuracy, count: report.count, seconds };
  rows.push(row);
  console.log(JSON.stringify(row));
}
console.log('\n| setting | accuracy | images tested | time (train + evaluate) |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.setting} | ${(100 * r.accuracy).toFixed(1)} % | ${r.count} | ${r.seconds.toFixed(0)} s |`);
