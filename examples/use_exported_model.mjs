// Uses a classifier trained elsewhere in Node: the files the page's "Download
// model" gives (model.json with the class names in its userDefinedMetadata,
// weights.bin, classes.json), put in one folder. ImageClassifier.save() and
// `tanuki train --out` write the same folder.
// Run: node examples/use_exported_model.mjs MODEL_DIR IMAGE_OR_FOLDER...
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import tanuki from 'tanuki';

const [modelDir, ...paths] = process.argv.slice(2);
if (!modelDir || !paths.length) {
  console.error('usage: node examples/use_exported_model.mjs MODEL_DIR IMAGE_OR_FOLDER...');
  process.exit(2);
}

// Folders stand for the images directly inside them.
const images = paths.flatMap((path) =>
  statSync(path).isDirectory()
    ? readdirSync(path).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort().map((f) => join(path, f))
    : [path],
);

const tk = await tanuki.load();
const classifier = await tk.loadClassifier(modelDir);
console.log(`model: ${modelDir}, classes: ${classifier.classNames.join(', ')}`);

for (const image of images) {
  const top = await classifier.predict(image, { topK: Math.min(3, classifier.classNames.length) });
  console.log(`${image}: ${top.map((p) => `${p.className} ${(100 * p.probability).toFixed(1)} %`).join(', ')}`);
}
