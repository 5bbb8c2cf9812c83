// tk.data: labelled image datasets, materialised in memory as tensors.
//
//   await tk.data.imageDatasetFromDirectory(dir, options)      (Node)
//   await tk.data.imagesFromFiles({cat: files, dog: files}, options)  (browsers)
//
// As keras.utils.image_dataset_from_directory: one class per sub-folder,
// class names sorted, files *.jpg/*.jpeg/*.png sorted; the file list is
// shuffled with the seed and the last `validationSplit` of it is the
// validation subset, so the same seed always gives the same split. The
// result holds every image decoded: {classNames, files, labels, count,
// x: [N, h, w, 3], y, skipped, batchSize, batches(), dispose()}.
import { FormatError, ValueError } from '../errors.js';
import { makeRandom, shuffleInPlace } from '../random.js';
import { makeTensor, Tensor } from '../tensor.js';
import { imageOptionsJson, resolveSourceAsync, writeInto } from './image.js';
import { IMAGE_FILE, listImageFolder } from './image_folder.js';
import { fs } from './node_fs.js';

const LABEL_MODES = ['int', 'categorical', 'binary', null];
const SUBSETS = ['training', 'validation', 'both'];

function checkOptions(tk, what, options) {
  const {
    imageSize = [256, 256], batchSize = 32, validationSplit, subset, seed, shuffle = true, labelMode = 'int',
    scale = 1, offset = 0, crop = 'none', classNames, onProgress, skipInvalid = false, ...unknown
  } = options;
  const extra = Object.keys(unknown);
  if (extra.length) throw new ValueError(`${what}: unknown option '${extra[0]}'`);
  if (!(Array.isArray(imageSize) && imageSize.length === 2 && imageSize.every((d) => Number.isInteger(d) && d > 0))) {
    throw new ValueError(`${what}: imageSize must be [height, width] in whole pixels, got ${JSON.stringify(imageSize)}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`${what}: batchSize must be a positive integer, got ${batchSize}`);
  // Keras's rules: a split needs a subset and the other way round, and a
  // shuffled split needs a seed, or training and validation could overlap
  // between two calls.
  if (validationSplit !== undefined && !(typeof validationSplit === 'number' && validationSplit > 0 && validationSplit < 1)) {
    throw new ValueError(`${what}: validationSplit must be a number between 0 and 1, got ${validationSplit}`);
  }
  if (subset !== undefined && !SUBSETS.includes(subset)) {
    throw new ValueError(`${what}: subset must be 'training', 'validation' or 'both', got ${JSON.stringify(subset)}`);
  }
  if ((validationSplit === undefined) !== (subset === undefined)) {
    throw new ValueError(`${what}: validationSplit and subset go together: set both or neither`);
  }
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0)) throw new ValueError(`${what}: seed must be a non-negative integer, got ${seed}`);
  if (validationSplit !== undefined && shuffle && seed === undefined) {
    throw new ValueError(`${what}: a shuffled validationSplit needs a seed, so that training and validation never overlap`);
  }
  if (!LABEL_MODES.includes(labelMode)) throw new ValueError(`${what}: labelMode must be 'int', 'categorical', 'binary' or null, got ${JSON.stringify(labelMode)}`);
  if (classNames !== undefined && !(Array.isArray(classNames) && classNames.every((c) => typeof c === 'string'))) {
    throw new ValueError(`${what}: classNames must be a list of strings`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new ValueError(`${what}: onProgress must be a function`);
  const decodeJson = imageOptionsJson(tk, { size: imageSize, crop, scale, offset }, what);
  return {
    imageSize, batchSize, validationSplit, subset, shuffle, labelMode, classNames, onProgress, skipInvalid: Boolean(skipInvalid),
    decodeJson, seed: seed ?? (shuffle ? tk.nextSeed() : 0),
  };
}

function checkClasses(what, where, classNames, labelMode) {
  if (classNames.length < 2) {
    throw new ValueError(
      `${what}: found ${classNames.length} class${classNames.length === 1 ? ` ('${classNames[0]}')` : 'es'} in ${where}; ` +
        'a classifier needs at least 2, one sub-folder per class',
    );
  }
  if (labelMode === 'binary' && classNames.length !== 2) {
    throw new ValueError(`${what}: labelMode 'binary' needs exactly 2 classes, found ${classNames.length} (${classNames.join(', ')})`);
  }
}

// ---------------------------------------------------------------------------
// Listing

function listDirectory(what, dir, options) {
  if (!fs) throw new ValueError(`${what} reads folders in Node; in a browser use tk.data.imagesFromFiles()`);
  let folder;
  try {
    folder = listImageFolder(dir);
  } catch (error) {
    throw error instanceof ValueError ? new ValueError(`${what}: ${error.message}`) : error;
  }
  let classNames = folder.classNames;
  if (options.classNames) {
    const missing = options.classNames.filter((c) => !folder.classNames.includes(c));
    if (missing.length) throw new ValueError(`${what}: no sub-folder for class '${missing[0]}' in ${dir} (found: ${folder.classNames.join(', ') || 'none'})`);
    classNames = options.classNames;
  }
  checkClasses(what, dir, classNames, options.labelMode);
  const samples = [];
  classNames.forEach((className, label) => {
    for (const { image } of folder.examples.filter((e) => e.label === className)) samples.push({ name: image, label, read: () => resolveSourceAsync(image) });
  });
  if (!samples.length) throw new ValueError(`${what}: no images in ${dir} (looked for .jpg, .jpeg and .png files in ${classNames.join(', ')})`);
  return { classNames, samples };
}

function listFiles(what, filesByClass, options) {
  if (filesByClass === null || typeof filesByClass !== 'object') {
    throw new ValueError(`${what}: pass {className: files, ...} or a Map of class name to files`);
  }
  const byClass = filesByClass instanceof Map ? filesByClass : new Map(Object.entries(filesByClass));
  const available = [...byClass.keys()].sort();
  const classNames = options.classNames ?? available;
  const missing = classNames.filter((c) => !byClass.has(c));
  if (missing.length) throw new ValueError(`${what}: no files for class '${missing[0]}' (classes given: ${available.join(', ')})`);
  checkClasses(what, 'the files given', classNames, options.labelMode);
  const samples = [];
  classNames.forEach((className, label) => {
    Array.from(byClass.get(className)).forEach((source, i) => {
      // Files with a name must look like images (folder pickers also hand over .DS_Store and the like).
      if (typeof source?.name === 'string' && !IMAGE_FILE.test(source.name)) return;
      samples.push({ name: source?.name ?? `${className}[${i}]`, label, read: () => resolveSourceAsync(source) });
    });
  });
  if (!samples.length) throw new ValueError(`${what}: no .jpg, .jpeg or .png images among the files given`);
  return { classNames, samples };
}

// ---------------------------------------------------------------------------
// Splitting and decoding

/** Keras's split: shuffle with the seed, then the last fraction is validation. */
function split(what, samples, options) {
  const ordered = options.shuffle ? shuffleInPlace(samples.slice(), makeRandom(options.seed)) : samples;
  if (options.validationSplit === undefined) return { all: ordered };
  const validationCount = Math.floor(options.validationSplit * ordered.length);
  const parts = { training: ordered.slice(0, ordered.length - validationCount), validation: ordered.slice(ordered.length - validationCount) };
  for (const [name, part] of Object.entries(parts)) {
    if ((options.subset === name || options.subset === 'both') && !part.length) {
      throw new ValueError(`${what}: validationSplit ${options.validationSplit} of ${ordered.length} images leaves no ${name} images`);
    }
  }
  return parts;
}

function labelTensor(tk, labels, classCount, labelMode) {
  const n = labels.length;
  if (labelMode === 'categorical') {
    const oneHot = new Float32Array(n * classCount);
    labels.forEach((label, i) => (oneHot[i * classCount + label] = 1));
    return makeTensor(tk, oneHot, [n, classCount]);
  }
  return makeTensor(tk, Float32Array.from(labels), labelMode === 'binary' ? [n, 1] : [n]);
}

async function materialise(tk, what, samples, classNames, options, subsetName) {
  const [h, w] = options.imageSize;
  const total = samples.length;
  let x = new Tensor(tk, tk.core.makeTensor(JSON.stringify([total, h, w, 3])));
  const kept = [];
  const skipped = [];
  try {
    for (const sample of samples) {
      try {
        // Rows are filled in order of success, so skipped files leave no gaps.
        writeInto(tk, { ...(await sample.read()), name: sample.name }, options.decodeJson, x, kept.length);
        kept.push(sample);
      } catch (error) {
        if (!(error instanceof FormatError)) throw error;
        if (!options.skipInvalid) throw new FormatError(`${error.message} (pass skipInvalid: true to skip unreadable images)`);
        skipped.push({ file: sample.name, error: error.message });
      }
      options.onProgress?.({ subset: subsetName, done: kept.length + skipped.length, total, file: sample.name, skipped: skipped.length });
    }
    if (!kept.length) throw new FormatError(`${what}: none of the ${total} images could be decoded (first error: ${skipped[0].error})`);
    if (skipped.length) {
      const compact = x.gather(kept.map((_, i) => i));
      x.dispose();
      x = compact;
    }
  } catch (error) {
    x.dispose();
    throw error;
  }
  const labels = kept.map((s) => s.label);
  const y = options.labelMode === null ? null : labelTensor(tk, labels, classNames.length, options.labelMode);
  return new ImageDataset({ classNames, files: kept.map((s) => s.name), labels, x, y, skipped, batchSize: options.batchSize, imageSize: options.imageSize });
}

/** Decoded images with their labels. */
export class ImageDataset {
  constructor({ classNames, files, labels, x, y, skipped, batchSize, imageSize }) {
    Object.assign(this, { classNames, files, labels, x, y, skipped, batchSize, imageSize });
    this.count = files.length;
  }

  /** {x, y} tensors of batchSize images each, in order; dispose them when done. */
  *batches() {
    for (let start = 0; start < this.count; start += this.batchSize) {
      const rows = Array.from({ length: Math.min(this.batchSize, this.count - start) }, (_, i) => start + i);
      yield { x: this.x.gather(rows), y: this.y?.gather(rows) ?? null };
    }
  }

  dispose() {
    this.x.dispose();
    this.y?.dispose();
  }
}

async function build(tk, what, listed, options) {
  const parts = split(what, listed.samples, options);
  const make = (name) => materialise(tk, what, parts[name], listed.classNames, options, name);
  if (options.subset === 'both') {
    const training = await make('training');
    try {
      return [training, await make('validation')];
    } catch (error) {
      training.dispose();
      throw error;
    }
  }
  return make(options.subset ?? 'all');
}

export function makeDataApi(tk) {
  return {
    /** keras.utils.image_dataset_from_directory, in Node. */
    async imageDatasetFromDirectory(dir, options = {}) {
      const what = 'imageDatasetFromDirectory';
      const checked = checkOptions(tk, what, options);
      return build(tk, what, listDirectory(what, dir, checked), checked);
    },
    /** The same from File/Blob lists (or any image sources) per class name, for browsers. */
    async imagesFromFiles(filesByClass, options = {}) {
      const what = 'imagesFromFiles';
      const checked = checkOptions(tk, what, options);
      return build(tk, what, listFiles(what, filesByClass, checked), checked);
    },
    /** The labelled images of DIR/<class>/... without decoding them: {classNames, examples: [{image, label}]} (Node). */
    listImageFolder,
  };
}
