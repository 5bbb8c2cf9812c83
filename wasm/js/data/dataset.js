// tk.data: labelled image datasets, in memory when they fit, streamed when not.
//
//   await tk.data.imageDatasetFromDirectory(dir, options)      (Node)
//   await tk.data.imagesFromFiles({cat: files, dog: files}, options)  (browsers)
//
// As keras.utils.image_dataset_from_directory: one class per sub-folder,
// class names sorted, files *.jpg/*.jpeg/*.png sorted; the file list is
// shuffled with the seed and the last `validationSplit` of it is the
// validation subset, so the same seed always gives the same split. A subset
// whose decoded images take at most `maxInMemoryBytes` (default 256 MB) is
// decoded at load: {classNames, files, labels, count, x: [N, h, w, 3], y,
// skipped, batchSize, batches(), dispose()}. A larger one streams: the same
// dataset without x and y in memory, decoded per batch (image_dataset.js).
import { FormatError, ValueError } from '../errors.js';
import { makeRandom, shuffleInPlace } from '../random.js';
import { imageOptionsJson, resolveSourceAsync } from './image.js';
import { decodeRows, ImageDataset, labelTensor, readSamples } from './image_dataset.js';
import { IMAGE_FILE, listImageFolder } from './image_folder.js';
import { fs } from './node_fs.js';

const LABEL_MODES = ['int', 'categorical', 'binary', null];
const SUBSETS = ['training', 'validation', 'both'];
const DEFAULT_IN_MEMORY_BYTES = 256 * 2 ** 20;

function checkOptions(tk, what, options) {
  const {
    imageSize = [256, 256], batchSize = 32, validationSplit, subset, seed, shuffle = true, labelMode = 'int',
    scale = 1, offset = 0, crop = 'none', classNames, onProgress, skipInvalid = false, maxInMemoryBytes = DEFAULT_IN_MEMORY_BYTES, ...unknown
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
  if (!(typeof maxInMemoryBytes === 'number' && maxInMemoryBytes >= 0)) throw new ValueError(`${what}: maxInMemoryBytes must be a number of bytes >= 0, got ${maxInMemoryBytes}`);
  const decodeJson = imageOptionsJson(tk, { size: imageSize, crop, scale, offset }, what);
  return {
    imageSize, batchSize, validationSplit, subset, shuffle, labelMode, classNames, onProgress, skipInvalid: Boolean(skipInvalid),
    maxInMemoryBytes, decodeJson, seed: seed ?? (shuffle ? tk.nextSeed() : 0),
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

/** Decodes every sample now (progress per image) into an in-memory dataset. */
async function materialise(tk, what, samples, classNames, options, subsetName) {
  const total = samples.length;
  const reads = await readSamples(samples);
  const { x, kept, failed } = decodeRows(tk, reads, options, (i, skipped) => {
    options.onProgress?.({ subset: subsetName, done: i + 1, total, file: samples[i].name, skipped });
  });
  if (!x) throw new FormatError(`${what}: none of the ${total} images could be decoded (first error: ${failed[0].error})`);
  const live = kept.map((i) => samples[i]);
  const skipped = failed.map(({ index, error }) => ({ file: samples[index].name, error }));
  const y = options.labelMode === null ? null : labelTensor(tk, live.map((s) => s.label), classNames.length, options.labelMode);
  return new ImageDataset(tk, { classNames, samples: live, options, x, y, skipped });
}

/** A dataset that fits in memory is decoded now; a larger one streams from its files. */
function load(tk, what, samples, classNames, options, subsetName) {
  const [h, w] = options.imageSize;
  if (samples.length * h * w * 3 * 4 <= options.maxInMemoryBytes) return materialise(tk, what, samples, classNames, options, subsetName);
  return new ImageDataset(tk, { classNames, samples, options });
}

async function build(tk, what, listed, options) {
  const parts = split(what, listed.samples, options);
  const make = async (name) => load(tk, what, parts[name], listed.classNames, options, name);
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
