// tk.loadClassifier(): a classifier saved by ImageClassifier.save() or
// exported by the page, checked to be one, for predictions and evaluation.
import { FormatError, ValueError } from '../errors.js';
import { firstShape } from '../memory.js';
import { evaluateImages, predictImages } from './image_batches.js';

/** A classifier loaded from a saved model: predicts and evaluates. */
export class SavedImageClassifier {
  constructor(tk, model, metadata) {
    if (!metadata?.classNames) throw new ValueError('this model.json carries no class names (userDefinedMetadata.classNames)');
    this.tk = tk;
    this.model = model;
    this.classNames = metadata.classNames;
    this.inputSize = metadata.imageSize ?? firstShape(model.inputs).slice(1, 3);
    this.crop = metadata.crop ?? 'center';
    // Saved by a classifier that averaged each image with its mirror: so does this one.
    this.testTimeFlip = metadata.testTimeFlip === true;
  }

  async predict(image, { topK = this.classNames.length } = {}) {
    return (await this.predictBatch([image], { topK }))[0];
  }

  async predictBatch(images, { topK = this.classNames.length } = {}) {
    return predictImages(this.tk, this.model, this.classNames, this.inputSize, this.crop, images, topK, { flip: this.testTimeFlip });
  }

  /** Report over labelled images: [{image, label}]. */
  async evaluate(examples, options = {}) {
    return evaluateImages(this.tk, this.model, this.classNames, this.inputSize, this.crop, examples, { ...options, flip: this.testTimeFlip });
  }

  /** Frees the model at once rather than when the garbage collector finds it. */
  dispose() {
    this.model.dispose();
  }

  /** model.json's userDefinedMetadata, with the class names the classifier uses. */
  metadata() {
    return { ...this.model.userDefinedMetadata, classNames: this.classNames };
  }
}

/**
 * Loads a classifier saved by ImageClassifier.save() or exported by the page:
 * any model source; chosen files may include classes.json, which names the
 * classes when model.json does not. The model must take RGB images and have
 * one output per class.
 */
export async function loadClassifier(tk, source) {
  const model = await tk.loadLayersModel(await withClassesFile(source));
  try {
    const classifier = new SavedImageClassifier(tk, model, model.userDefinedMetadata);
    checkClassifierShapes(model, classifier.classNames);
    return classifier;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

const isFileList = (source) => Array.isArray(source) || (typeof FileList !== 'undefined' && source instanceof FileList);

/** Chosen files as model.json (with classes.json's names in its metadata when it has none) and its shards; other sources as they are. */
async function withClassesFile(source) {
  if (!isFileList(source)) return source;
  const files = Array.from(source);
  const json = files.find((f) => f.name.endsWith('.json') && f.name !== 'classes.json');
  if (!json) throw new ValueError('Choose model.json together with its weight files (and classes.json).');
  const modelJson = await parsedJson(json, `${json.name} is not valid JSON.`);
  if (!modelJson?.userDefinedMetadata?.classNames) {
    const classesFile = files.find((f) => f.name === 'classes.json');
    if (!classesFile) throw new ValueError(`${json.name} names no classes: choose classes.json with it.`);
    const classNames = await parsedJson(classesFile, 'classes.json is not valid JSON.');
    if (!Array.isArray(classNames) || !classNames.every((n) => typeof n === 'string')) throw new FormatError('classes.json must be a list of class names.');
    modelJson.userDefinedMetadata = { ...modelJson.userDefinedMetadata, classNames };
  }
  const weights = files.filter((f) => !f.name.endsWith('.json'));
  return [new File([JSON.stringify(modelJson)], 'model.json'), ...weights];
}

async function parsedJson(file, failure) {
  try {
    return JSON.parse(await file.text());
  } catch {
    throw new FormatError(failure);
  }
}

function checkClassifierShapes(model, classNames) {
  const shape = firstShape(model.inputs);
  if (shape.length !== 4 || shape[3] !== 3) throw new ValueError(`this model takes [${shape}], not RGB images [null, h, w, 3]`);
  const outputs = firstShape(model.outputs);
  if (outputs[outputs.length - 1] !== classNames.length) {
    throw new ValueError(`the model has ${outputs[outputs.length - 1]} outputs but ${classNames.length} class names`);
  }
}
