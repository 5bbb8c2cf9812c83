// Accuracy of the whole workflow on real photos (evaluation only; the photos
// are not part of the repository). Prints one JSON line per setting and a
// Markdown table for the README; each row also gives the accuracy of the same
// head on the same photos without the test-time flip (each image alone).
// Run: node bench/accuracy.mjs [--defaults] [--only TEXT] [--seed N] [--local-max-pool W]
//      [--input-size S]
//      (needs ../shared/data and ../shared/models; --defaults: only the rows with default
//      settings; --only: the rows whose name has TEXT; --seed: the split, augmentation and
//      training seed, default 1; --local-max-pool: the backbones' pooling window, see
//      tk.loadBackbone, default each backbone's own; --input-size: the backbones rebuilt
//      for SxS images, see tk.loadBackbone's inputShape, default each backbone's own)
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import tanuki from '../wasm/js/index.js';

const shared = '../shared';
const v1 = join(shared, 'models/mobilenet_v1_0.75_224');
const v1small = join(shared, 'models/mobilenet_v1_0.25_224');
const cats = join(shared, 'data/cats_vs_dogs');
const flowers = join(shared, 'data/flowers5/train');
if (!existsSync(cats)) {
  console.log(`skipped: ${cats} is absent`);
  process.exit(0);
}

// limit: the first N photos of each class by their number (as the page's tests pick them).
function folder(dir, limit = Infinity) {
  const number = (f) => Number(f.match(/(\d+)\.\w+$/)?.[1]);
  return readdirSync(dir).sort().flatMap((c) => readdirSync(join(dir, c)).sort((a, b) => number(a) - number(b) || a.localeCompare(b))
    .slice(0, limit).map((f) => ({ image: join(dir, c, f), label: c })));
}

/**
 * Wilson's 95 % interval for an accuracy measured on n photos: with 160 or
 * 200 test photos it spans about ten points, so two settings a point or two
 * apart are not told apart by one test set.
 */
function wilson(p, n, z = 1.96) {
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

// Rows without epochs train with the defaults: unset settings chosen by cross-validation.
const settings = [
  { name: 'cats vs dogs, bundled MobileNetV2, default settings', backbone: 'bundled', train: join(cats, 'train'), test: join(cats, 'val') },
  { name: 'cats vs dogs, MobileNetV1 0.75, default settings', backbone: v1, train: join(cats, 'train'), test: join(cats, 'val') },
  { name: 'flowers5 (20 % held out), bundled MobileNetV2, default settings', backbone: 'bundled', train: flowers, validationSplit: 0.2 },
  { name: 'flowers5 (20 % held out), MobileNetV1 0.75, default settings', backbone: v1, train: flowers, validationSplit: 0.2 },
  { name: 'cats vs dogs, 60 photos per class, bundled MobileNetV2, default settings', backbone: 'bundled', train: join(cats, 'train'), limit: 60, test: join(cats, 'val') },
  { name: 'cats vs dogs, 60 photos per class, MobileNetV1 0.25, default settings', backbone: v1small, train: join(cats, 'train'), limit: 60, test: join(cats, 'val') },
  { name: 'cats vs dogs, bundled MobileNetV2, head only', backbone: 'bundled', train: join(cats, 'train'), test: join(cats, 'val'), epochs: 20 },
  { name: 'cats vs dogs, bundled MobileNetV2, augmented head (2 views)', backbone: 'bundled', train: join(cats, 'train'), test: join(cats, 'val'), epochs: 20, augment: true, views: 2 },
  { name: 'cats vs dogs, MobileNetV1 0.75 (ImageNet), head only', backbone: v1, train: join(cats, 'train'), test: join(cats, 'val'), epochs: 20 },
  { name: 'flowers5 (20 % held out), MobileNetV1 0.75 (ImageNet), head only', backbone: v1, train: flowers, validationSplit: 0.2, epochs: 30 },
  { name: 'flowers5 (20 % held out), MobileNetV1 0.75, augmented head (4 views) + fine-tuning', backbone: v1, train: flowers, validationSplit: 0.2, epochs: 30, augment: true, views: 4, fineTune: { epochs: 3, layers: 6, learningRate: 1e-4, views: 2 } },
];

const tk = await tanuki.load();
const rows = [];
const defaultsOnly = process.argv.includes('--defaults');
const flag = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const only = flag('--only');
const seed = Number(flag('--seed') ?? 1);
const localMaxPool = flag('--local-max-pool') === undefined ? undefined : Number(flag('--local-max-pool'));
const inputSize = flag('--input-size') === undefined ? undefined : Number(flag('--input-size'));
const inputShape = inputSize ? [inputSize, inputSize, 3] : undefined;
for (const s of settings) {
  if (defaultsOnly && s.epochs) continue;
  if (only && !s.name.includes(only)) continue;
  if (s.backbone !== 'bundled' && !existsSync(s.backbone)) {
    console.log(JSON.stringify({ setting: s.name, skipped: `${s.backbone} is absent` }));
    continue;
  }
  const started = Date.now();
  const classifier = await tk.ImageClassifier.fromBackbone(s.backbone, { localMaxPool, inputShape });
  for (const e of folder(s.train, s.limit)) classifier.addExample(e.image, e.label);
  const fixed = s.epochs ? { epochs: s.epochs, augment: Boolean(s.augment), views: s.views } : {};
  const options = { ...fixed, seed, validationSplit: s.validationSplit ?? 0 };
  await classifier.train(options);
  if (s.fineTune) await classifier.fineTune({ ...options, ...s.fineTune });
  const tested = s.test ? folder(s.test) : classifier.validationPredictions.map(({ image, label }) => ({ image, label }));
  const report = s.test ? await classifier.evaluate(tested) : classifier.validationReport;
  const seconds = (Date.now() - started) / 1000;
  // The same head on the same photos, each image alone (without the mirror): a paired comparison.
  const flip = classifier.testTimeFlip;
  classifier.testTimeFlip = false;
  const alone = flip ? (await classifier.evaluate(tested)).accuracy : report.accuracy;
  classifier.testTimeFlip = flip;
  const row = { setting: s.name, accuracy: report.accuracy, interval: wilson(report.accuracy, report.count), count: report.count, withoutFlip: alone, seconds };
  rows.push(row);
  console.log(JSON.stringify(row));
}
console.log('\n| setting | accuracy (95 % interval) | each image alone | images tested | time (train + evaluate) |\n|---|---|---|---|---|');
const percent = (x) => (100 * x).toFixed(1);
for (const r of rows) {
  console.log(`| ${r.setting} | ${percent(r.accuracy)} % (${percent(r.interval[0])}–${percent(r.interval[1])}) | ${percent(r.withoutFlip)} % | ${r.count} | ${r.seconds.toFixed(0)} s |`);
}
