// Transfer learning with fine-tuning on real photos, the recipe of Keras's
// guide through tk.ImageClassifier: the frozen backbone's features train a new
// head; then the top of the backbone is unfrozen and fine-tuned at a low
// learning rate (BatchNormalization stays in inference mode); the result is
// measured on validation photos it never saw.
// Run: node examples/cats_vs_dogs.mjs [DATA_DIR] [PHOTOS_PER_CLASS] [BACKBONE]
// (defaults: ../shared/data/cats_vs_dogs, 200, the bundled MobileNetV2;
// DATA_DIR holds train/<class>/*.jpg and val/<class>/*.jpg). The bundled
// backbone learned other kinds of pictures and reaches about 87 % here; a
// folder with an ImageNet MobileNet in the TF.js layers format as BACKBONE
// reaches about 97 %.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import tanuki from 'tanuki';

const [data = '../shared/data/cats_vs_dogs', perClassText = '200', backbone = 'bundled'] = process.argv.slice(2);
const perClass = Number(perClassText);
if (!existsSync(join(data, 'train')) || !existsSync(join(data, 'val'))) {
  console.log(`skipped: no photos at ${data} (pass a folder with train/<class>/ and val/<class>/)`);
  process.exit(0);
}

// Photos of each class, in a fixed order (cat.2.jpg before cat.10.jpg).
const byNumber = (a, b) => Number(a.match(/\d+/)?.[0] ?? 0) - Number(b.match(/\d+/)?.[0] ?? 0) || a.localeCompare(b);
const classes = readdirSync(join(data, 'train')).sort();
const photos = (split, name, count = Infinity) =>
  readdirSync(join(data, split, name)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort(byNumber).slice(0, count).map((f) => join(data, split, name, f));

const tk = await tanuki.load();
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const classifier = await tk.ImageClassifier.fromBackbone(backbone);
console.log(`backbone: ${classifier.backbone.name}, cut at ${classifier.backbone.cutLayer} (${classifier.featureSize} features)`);
for (const name of classes) classifier.addExamples(photos('train', name, perClass), name);
console.log(`training on ${classifier.examples.length} photos of ${classes.join(', ')}`);

const report = (p) => {
  if (p.epochDone && (p.epoch % 10 === 0 || p.phase === 'fine-tune')) {
    const logs = Object.entries(p.logs).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ');
    console.log(`  ${p.phase} epoch ${p.epoch}/${p.epochs}: ${logs}`);
  } else if ((p.phase === 'features' || p.phase === 'boundary') && p.done === p.total) {
    console.log(`  ${p.phase === 'features' ? 'features' : 'fine-tuning inputs'} of ${p.total} photos computed (${seconds()})`);
  }
};

// 1. The head alone, on features of the frozen backbone computed once.
console.log('1. training the new head on the frozen backbone');
await classifier.train({ epochs: 20, learningRate: 1e-3, validationSplit: 0.1, onProgress: report });

// 2. Fine-tuning: the top layers of the backbone and the head together, slowly.
console.log('2. fine-tuning the top of the backbone');
await classifier.fineTune({ layers: 10, epochs: 1, learningRate: 1e-5, validationSplit: 0.1, onProgress: report });
console.log(`  fine-tuned from layer ${classifier.fineTunedFrom}`);

// 3. Photos it has never seen.
const validation = classes.flatMap((label) => photos('val', label).map((image) => ({ image, label })));
const result = await classifier.evaluate(validation);
console.log(`3. evaluation on ${result.count} validation photos (${seconds()} in all)\n`);
console.log(tk.metrics.formatReport(result));
console.log(`\nvalidation accuracy: ${(100 * result.accuracy).toFixed(1)} %`);
