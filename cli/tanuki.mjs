#!/usr/bin/env node
// The tanuki command line: train, evaluate and predict image classifiers;
// export and convert models between formats.
import { parseArgs, UsageError } from './args.mjs';
import { makeProgress } from './progress.mjs';
import tanuki from '../wasm/js/index.js';

const USAGE = `usage:
  tanuki train --data DIR --out DIR [--backbone bundled|NAME|PATH|URL] [--epochs N] [--fine-tune-epochs M]
               [--fine-tune-layers K] [--image-size S] [--batch-size B] [--learning-rate LR] [--dropout D]
               [--augment | --no-augment] [--views V] [--no-auto-tune] [--seed N] [--val-split F]
               [--cut-layer NAME[,NAME...]] [--local-max-pool W] [--input-scale S[,OFFSET]] [--json]
               (epochs and learning rate not given are chosen by cross-validation, with dropout 0.5
               and augmented views where they are cheap unless given; predictions average each
               image with its mirror unless --no-augment;
               a backbone PATH or URL is a TF.js layers or graph model (directory or model.json) or an .onnx file)
  tanuki evaluate --model DIR --data DIR [--json]
  tanuki predict --model DIR FILE... [--json] [--top K]
  tanuki backbones              lists the backbone NAMEs (downloaded once, then cached)
  tanuki export MODEL OUT.onnx [--format onnx] [--opset N] [--input-layout nhwc|nchw]
               MODEL: a model directory or model.json (e.g. train's --out) or an .onnx file
  tanuki convert IN OUT [--opset N] [--input-layout nhwc|nchw] [--input-shape H,W,C]
               IN: a layers model (directory or model.json) or an .onnx file; OUT: an .onnx file,
               or a directory (or .../model.json) for the TF.js layers format`;

const specs = {
  train: {
    data: 'string', out: 'string', backbone: 'string', epochs: 'number', 'fine-tune-epochs': 'number',
    'fine-tune-layers': 'number', 'image-size': 'number', 'batch-size': 'number', 'learning-rate': 'number',
    augment: 'boolean', 'no-augment': 'boolean', dropout: 'number', 'no-auto-tune': 'boolean', views: 'number', seed: 'number', 'val-split': 'number', 'cut-layer': 'string',
    'local-max-pool': 'number',
    'input-scale': 'string', json: 'boolean', 'fine-tune-learning-rate': 'number',
  },
  evaluate: { model: 'string', data: 'string', json: 'boolean' },
  predict: { model: 'string', json: 'boolean', top: 'number' },
  backbones: { json: 'boolean' },
  export: { format: 'string', opset: 'number', 'input-layout': 'string', json: 'boolean' },
  convert: { opset: 'number', 'input-layout': 'string', 'input-shape': 'string', json: 'boolean' },
};

function need(flags, name) {
  if (flags[name] === undefined) throw new UsageError(`--${name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} is required`);
  return flags[name];
}

function inputScale(text) {
  if (text === undefined) return {};
  const [scale, offset = '0'] = text.split(',');
  const s = parseNumber(scale);
  const o = Number(offset);
  if (!Number.isFinite(s) || !Number.isFinite(o)) throw new UsageError(`--input-scale takes SCALE[,OFFSET], e.g. 0.00392 or 1/127.5,-1; got '${text}'`);
  return { scale: s, offset: o };
}

// "1/255" or "0.0039".
function parseNumber(text) {
  const [a, b] = text.split('/');
  return b === undefined ? Number(a) : Number(a) / Number(b);
}

/** The labelled images of DIR/<class>/... that hold images (the listing tk.data uses). */
function listData(tk, dir) {
  let listed;
  try {
    listed = tk.data.listImageFolder(dir);
  } catch (error) {
    throw error instanceof tk.errors.ValueError ? new UsageError(`data ${error.message}`) : error;
  }
  const classes = listed.classNames.filter((name) => listed.examples.some((e) => e.label === name));
  return { classes, examples: listed.examples };
}

async function train(tk, flags, progress) {
  const data = need(flags, 'data');
  const out = need(flags, 'out');
  const { classes, examples } = listData(tk, data);
  if (classes.length < 2) throw new UsageError(`${data} needs at least 2 class folders with images; found ${classes.length}`);
  const started = Date.now();
  if (flags.augment && flags.noAugment) throw new UsageError('--augment and --no-augment contradict each other: give one');
  const classifier = await tk.ImageClassifier.fromBackbone(flags.backbone ?? 'bundled', {
    cutLayer: flags.cutLayer,
    localMaxPool: flags.localMaxPool,
    // --no-augment: no flipped views, so predictions do not average with the mirror either (as in the page).
    ...(flags.noAugment ? { augmentation: { flip: false, rotation: 0, zoom: 0, contrast: 0 } } : {}),
    skipInvalid: true,
    onProgress: (fraction) => progress.update(`loading the backbone ${Math.round(100 * fraction)}%`, fraction),
    ...inputScale(flags.inputScale),
  });
  if (flags.imageSize && (classifier.inputSize[0] !== flags.imageSize || classifier.inputSize[1] !== flags.imageSize)) {
    throw new UsageError(`this backbone takes ${classifier.inputSize.join('x')} images; --image-size ${flags.imageSize} does not fit it`);
  }
  for (const e of examples) classifier.addExample(e.image, e.label);
  progress.line(`backbone: ${classifier.backbone.name}, cut at '${classifier.backbone.cutLayer}' (${classifier.featureSize} features)`);
  progress.line(`data: ${examples.length} images in ${classes.length} classes (${classes.join(', ')})`);
  const report = (p) => {
    if (p.phase === 'features' || p.phase === 'boundary' || p.phase === 'settings') {
      const what = { features: 'features', boundary: 'fine-tune cache', settings: 'choosing settings (cross-validation)' }[p.phase];
      progress.update(`${what} ${p.done}/${p.total}`, p.done / p.total);
    } else if (p.epochDone) {
      const logs = Object.entries(p.logs).map(([k, v]) => `${k} ${v.toFixed(4)}`).join('  ');
      progress.line(`${p.phase} epoch ${p.epoch}/${p.epochs}  ${logs}  (${p.elapsed.toFixed(1)} s)`);
    } else {
      progress.update(`${p.phase} epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches} loss ${p.logs.loss.toFixed(4)}`, p.batch / p.batches);
    }
  };
  // Unset flags stay undefined: train() chooses those settings itself.
  const augment = flags.augment ? true : flags.noAugment ? false : undefined;
  const common = { batchSize: flags.batchSize ?? 32, validationSplit: flags.valSplit ?? 0, views: flags.views, seed: flags.seed ?? 1, onProgress: report };
  const history = await classifier.train({
    ...common, augment, epochs: flags.epochs, learningRate: flags.learningRate, dropout: flags.dropout, autoTune: !flags.noAutoTune,
  });
  progress.line(describeSettings(history.settings));
  if (classifier.testTimeFlip) progress.line('predictions average each image with its mirror (test-time flip; off with --no-augment)');
  let fineTune = null;
  if (flags.fineTuneEpochs) {
    fineTune = await classifier.fineTune({
      ...common,
      batchSize: flags.batchSize ?? 16,
      epochs: flags.fineTuneEpochs,
      layers: flags.fineTuneLayers ?? 10,
      learningRate: flags.fineTuneLearningRate ?? 1e-5,
    });
  }
  for (const { image, reason } of classifier.skipped) progress.line(`skipped unreadable image ${reason.startsWith(image) ? reason : `${image}: ${reason}`}`);
  if (classifier.skipped.length) progress.line(`skipped ${classifier.skipped.length} unreadable image(s)`);
  const saved = await classifier.save(out);
  const seconds = (Date.now() - started) / 1000;
  const last = (h) => Object.fromEntries(Object.entries(h.history).map(([k, v]) => [k, v[v.length - 1]]));
  const summary = {
    out: saved.path, classes, images: examples.length - classifier.skipped.length, skipped: classifier.skipped.map((s) => s.image),
    seconds, train: last(history), fineTune: fineTune ? last(fineTune) : null,
  };
  progress.line(`saved to ${saved.path} in ${seconds.toFixed(1)} s`);
  if (flags.json) console.log(JSON.stringify(summary));
}

/** "epochs 14, learning rate 0.001, ... (chosen by 3-fold cross-validation ...)" */
function describeSettings(s) {
  const views = s.views > 1 ? `${s.views} views per image (augmented)` : 'no augmentation';
  const weights = s.classWeight ? `, class weights ${Object.values(s.classWeight).map((w) => w.toFixed(2)).join('/')}` : '';
  const text = `settings: epochs ${s.epochs}, learning rate ${s.learningRate}, dropout ${s.dropout}, ${views}${weights}`;
  if (s.crossValidation) {
    const cv = s.crossValidation;
    return `${text} (${s.chosen.join(', ')} chosen by ${cv.folds}-fold cross-validation: accuracy ${(100 * cv.accuracy).toFixed(1)} %, val loss ${cv.loss.toFixed(3)})`;
  }
  return s.reason ? `${text} (defaults: ${s.reason})` : text;
}

async function evaluate(tk, flags, progress) {
  const classifier = await tk.loadClassifier(need(flags, 'model'));
  const data = need(flags, 'data');
  const { examples } = listData(tk, data);
  if (!examples.length) throw new UsageError(`${data} holds no images in class folders`);
  const report = await classifier.evaluate(examples, { onProgress: (p) => progress.update(`evaluate ${p.done}/${p.total}`, p.done / p.total) });
  console.log(tk.metrics.formatReport(report));
  if (flags.json) console.log(JSON.stringify(report));
}

async function predict(tk, flags, files) {
  const classifier = await tk.loadClassifier(need(flags, 'model'));
  if (!files.length) throw new UsageError('predict needs image files');
  const topK = flags.top ?? Math.min(5, classifier.classNames.length);
  const results = [];
  for (const file of files) {
    const top = await classifier.predict(file, { topK });
    results.push({ file, predictions: top });
    if (!flags.json) console.log(`${file}: ${top.map((p) => `${p.className} ${(100 * p.probability).toFixed(1)}%`).join(', ')}`);
  }
  if (flags.json) console.log(JSON.stringify(results));
}

function listBackbones(tk, flags) {
  if (flags.json) return console.log(JSON.stringify(tk.backboneCatalog));
  const size = (bytes) => (bytes ? `${(bytes / 1e6).toFixed(1)} MB` : '-');
  for (const e of tk.backboneCatalog) console.log(`${e.id.padEnd(18)} ${size(e.downloadBytes).padStart(8)}  ${e.name}; ${e.host}`);
}

/** IN and OUT of export / convert. */
function inOut(command, positional) {
  if (positional.length !== 2) throw new UsageError(`${command} takes IN and OUT, got ${positional.length} argument(s)`);
  return positional;
}

function inputShape(text) {
  if (text === undefined) return undefined;
  const dims = text.split(',').map(Number);
  if (dims.length !== 3 || !dims.every((d) => Number.isInteger(d) && d > 0)) throw new UsageError(`--input-shape takes H,W,C, e.g. 224,224,3; got '${text}'`);
  return dims;
}

/** Loads IN (format recognised by content) and saves OUT in the format its name says. */
async function convertModel(tk, flags, source, destination, progress) {
  const model = await tk.loadModel(source, { inputShape: inputShape(flags.inputShape) });
  try {
    let saved;
    if (/\.onnx$/i.test(destination)) {
      saved = await model.save(destination, { opset: flags.opset ?? 13, inputLayout: flags.inputLayout ?? 'nhwc' });
      for (const line of saved.droppedLayers) progress.line(line);
      progress.line(`wrote ${saved.path} (ONNX opset ${flags.opset ?? 13}, ${flags.inputLayout ?? 'nhwc'} input, ${saved.bytes} bytes)`);
    } else {
      if (flags.opset !== undefined || flags.inputLayout !== undefined) throw new UsageError('--opset and --input-layout apply to an .onnx OUT');
      const dir = /(^|[\\/])model\.json$/i.test(destination) ? destination.replace(/[\\/]?model\.json$/i, '') || '.' : destination;
      saved = await model.save(dir);
      progress.line(`wrote ${saved.path} (TF.js layers format, ${saved.weightBytes} weight bytes)`);
    }
    if (flags.json) console.log(JSON.stringify({ out: saved.path, droppedLayers: saved.droppedLayers ?? [] }));
  } finally {
    model.dispose();
  }
}

async function exportModel(tk, flags, positional, progress) {
  const [source, destination] = inOut('export', positional);
  if ((flags.format ?? 'onnx') !== 'onnx') throw new UsageError(`export writes --format onnx; got '${flags.format}' (tanuki convert writes the layers format)`);
  if (!/\.onnx$/i.test(destination)) throw new UsageError(`export writes an .onnx file; OUT '${destination}' does not end in .onnx`);
  return convertModel(tk, flags, source, destination, progress);
}

async function main(argv) {
  const [command, ...rest] = argv;
  if (!specs[command]) throw new UsageError(command ? `unknown command '${command}'` : 'a command is required');
  const { flags, positional } = parseArgs(rest, specs[command]);
  const progress = makeProgress();
  const tk = await tanuki.load();
  if (command === 'train') return train(tk, flags, progress);
  if (command === 'evaluate') return evaluate(tk, flags, progress);
  if (command === 'backbones') return listBackbones(tk, flags);
  if (command === 'export') return exportModel(tk, flags, positional, progress);
  if (command === 'convert') return convertModel(tk, flags, ...inOut('convert', positional), progress);
  return predict(tk, flags, positional);
}

main(process.argv.slice(2)).catch((error) => {
  const usage = error instanceof UsageError;
  process.stderr.write(`tanuki: ${error.message}\n${usage ? `${USAGE}\n` : ''}`);
  process.exitCode = usage ? 2 : 1;
});
