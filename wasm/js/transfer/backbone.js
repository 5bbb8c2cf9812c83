// Backbones: pretrained image models cut below their classification head.
//
// A backbone is {model, name, inputSize, scale, offset, cutLayer,
// localMaxPool}: `model` maps images [N, h, w, 3] (already scaled: x * scale
// + offset) to features [N, h', w', c] or [N, c]. A cut may name several
// layers: their globally average-pooled activations are concatenated
// (features from several depths). With localMaxPool above 1, each cut
// activation is first max-pooled over its localMaxPool x localMaxPool
// neighbourhoods (stride 1), so that its global average is one of local
// maxima. The bundled one is the Keras MobileNetV2 from the nsfwjs package
// (input x / 255); any Keras model in the TF.js layers format can be used,
// cut after its global pooling or at its last 4-D activation.
import { FormatError, ValueError } from '../errors.js';
import { disposeAll, firstShape } from '../memory.js';
import { findCatalogEntry, unknownBackboneMessage } from './catalog.js';

/**
 * Where the bundled backbone lives, relative to this module. Both files are
 * named literally so that bundlers emit them, under names of their own.
 */
export const BUNDLED_URL = new URL('../../../dist/models/mobilenet_v2/model.json', import.meta.url);
const BUNDLED_WEIGHTS_URL = new URL('../../../dist/models/mobilenet_v2/weights.bin', import.meta.url);

/**
 * The bundled MobileNetV2's facts. The default cut is documented in the
 * README ("Choosing the cut layer"), with the measurements behind it.
 */
export const BUNDLED = {
  name: 'MobileNetV2 1.0 224 (nsfwjs 4.4.0)',
  scale: 1 / 255,
  offset: 0,
  cutLayer: ['block_13_expand_relu', 'block_15_expand_relu', 'out_relu'],
  // The mean of each 3x3 neighbourhood's strongest activation rather than of
  // every activation: a feature that fires strongly in a few places (a
  // flower's centre, an ear) is not washed out by the background around it.
  // README, "Backbones and the cut layer".
  localMaxPool: 3,
};

const HEAD_CLASSES = new Set(['Dense', 'Flatten', 'Reshape', 'Dropout', 'Softmax', 'Activation']);

/**
 * Picks where to cut a full classifier: right after its global pooling if it
 * has one; otherwise the last layer whose output is still an image-shaped
 * (4-D) tensor before the head.
 */
export function defaultCutLayer(model) {
  const layers = model.layers;
  try {
    const pooling = layers.filter((l) => /^Global(Average|Max)Pooling2D$/.test(l.getClassName()));
    if (pooling.length) return pooling[pooling.length - 1].name;
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i];
      if (HEAD_CLASSES.has(layer.getClassName()) || layer.getClassName() === 'InputLayer') continue;
      const output = model.layerOutput(layer.name);
      const shape = output.shape;
      output.dispose();
      if (shape.length === 4 && !/^(AveragePooling2D|MaxPooling2D)$/.test(layer.getClassName())) return layer.name;
    }
    throw new ValueError('cannot find where to cut this model: no 4-D activation or global pooling layer');
  } finally {
    disposeAll(layers);
  }
}

/**
 * The pixel scaling for a model that normalises its input itself: its
 * leading Rescaling layers map [0, 1] (TF-Hub's image modules, as graph
 * models) or [0, 255] onto [-1, 1]. Undefined for any other model.
 */
function ownInputScaling(model) {
  let scale = 1;
  let offset = 0;
  let layers = 0;
  const all = model.layers;
  for (const layer of all.slice(1)) {
    if (layer.getClassName() !== 'Rescaling') break;
    const config = layer.getConfig();
    scale *= config.scale;
    offset = offset * config.scale + config.offset;
    layers++;
  }
  disposeAll(all);
  const near = (a, b) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
  if (layers === 0 || !near(offset, -1)) return undefined;
  if (near(scale, 2)) return { scale: 1 / 255, offset: 0 };
  if (near(scale, 1 / 127.5)) return { scale: 1, offset: 0 };
  return undefined;
}

/**
 * Loads and cuts a backbone. spec: 'bundled', a catalog id, a URL / path /
 * files of a model tk.loadModel reads (layers or graph model.json, ONNX), or
 * a loaded model. Options: cutLayer, localMaxPool (the window each cut
 * activation is max-pooled over, stride 1, before its global average; 1 =
 * none, the default but for the bundled backbone), scale, offset
 * (input scaling; default x/255 for the bundled model, what a model's own
 * leading Rescaling layers take, else x/127.5 - 1 as Keras MobileNets
 * expect), inputShape ([h, w, 3]: the cut network
 * rebuilt at another input size with the same weights, see rebuiltAt),
 * onProgress.
 */
export async function loadBackbone(tk, spec = 'bundled', options = {}) {
  const entry = typeof spec === 'string' ? findCatalogEntry(spec) : undefined;
  if (typeof spec === 'string' && !entry && /^mobilenet_v\d/i.test(spec)) throw new ValueError(unknownBackboneMessage(spec));
  const bundled = spec === undefined || entry?.id === 'bundled';
  if (entry && !bundled) return loadCatalogBackbone(tk, entry, options);
  let full;
  if (bundled) {
    full = await loadBundledModel(tk, options);
  } else if (spec && typeof spec === 'object' && typeof spec.layerOutput === 'function') {
    full = spec;
  } else {
    full = await tk.loadModel(spec, { onProgress: options.onProgress });
  }
  // The graph's SymbolicTensors, freed once the cut model holds its nodes.
  const temporaries = [];
  const kept = (w) => (temporaries.push(w), w);
  const inputs = kept(full.inputs);
  let inputShape = inputs[0].shape;
  let cutLayer = options.cutLayer ?? (bundled ? BUNDLED.cutLayer : defaultCutLayer(full));
  if (typeof cutLayer === 'string' && cutLayer.includes(',')) cutLayer = cutLayer.split(',').map((s) => s.trim());
  const localMaxPool = options.localMaxPool ?? (bundled ? BUNDLED.localMaxPool : 1);
  if (!Number.isInteger(localMaxPool) || localMaxPool < 1) throw new ValueError(`localMaxPool must be a whole number of at least 1, not ${localMaxPool}`);
  let model;
  try {
    if (inputShape.length !== 4 || inputShape[3] !== 3) {
      throw new ValueError(`a backbone takes RGB images [null, h, w, 3]; this model takes [${inputShape}]`);
    }
    // A 4-D activation, max-pooled over each neighbourhood where asked.
    const activation = (name) => {
      const out = kept(full.layerOutput(name));
      if (out.shape.length !== 4 || localMaxPool === 1) return out;
      return kept(kept(tk.layers.maxPooling2d({ name: `${name}_local_max`, poolSize: localMaxPool, strides: 1, padding: 'same' })).apply(out));
    };
    let outputs;
    if (Array.isArray(cutLayer)) {
      const pooled = cutLayer.map((name) => {
        const out = activation(name);
        return out.shape.length === 4 ? kept(kept(tk.layers.globalAveragePooling2d({ name: `${name}_pool` })).apply(out)) : out;
      });
      outputs = pooled.length > 1 ? kept(kept(tk.layers.concatenate({ name: 'multi_depth_features' })).apply(pooled)) : pooled[0];
    } else {
      outputs = activation(cutLayer);  // the classifier averages it globally
    }
    model = tk.model({ inputs, outputs, name: 'backbone' });
  } finally {
    disposeAll(temporaries);
  }
  const own = bundled ? undefined : ownInputScaling(full);
  if (options.inputShape) {
    const cut = model;
    model = await rebuiltAt(tk, cut, options.inputShape);
    cut.dispose();
    inputShape = firstShape(model.inputs);
  }
  return {
    model,
    full,
    name: bundled ? BUNDLED.name : (full.name || 'custom backbone'),
    source: bundled ? 'bundled' : String(full.source ?? 'model'),
    inputSize: [inputShape[1] ?? 224, inputShape[2] ?? 224],
    scale: options.scale ?? (bundled ? BUNDLED.scale : (own?.scale ?? 1 / 127.5)),
    offset: options.offset ?? (bundled ? BUNDLED.offset : (own?.offset ?? -1)),
    cutLayer,
    localMaxPool,
    featureShape: firstShape(model.outputs).slice(1),
  };
}

/**
 * The whole bundled network (its NSFW head included) at its 224x224 input.
 * It ships with the package: no download.
 */
export function loadBundledModel(tk, { onProgress } = {}) {
  return tk.loadLayersModel(isNodeFileUrl(BUNDLED_URL) ? decodeURIComponent(BUNDLED_URL.pathname) : BUNDLED_URL.href, {
    onProgress,
    weightUrlConverter: (path) => (path === 'weights.bin' ? BUNDLED_WEIGHTS_URL.href : path),
  });
}

/**
 * A copy of a model rebuilt for images of inputShape ([h, w, 3]), with the
 * same weights, as keras.applications' input_shape does. Rebuilt from the
 * model's own artifacts, so that a cut network is rebuilt without the head it
 * was cut from, which may not take another size (the bundled one ends with a
 * 7x7 average pooling). Layers whose weights depend on the size (a Dense
 * after Flatten) fail, naming the layer.
 */
export function rebuiltAt(tk, model, inputShape) {
  return tk.loadLayersModel(model.toArtifacts(), { inputShape });
}

/**
 * A catalog backbone: downloaded from its public host on first use (with
 * progress), verified (every weight of the manifest present, of its size,
 * finite) and cached, so that the next load works offline. A failed or
 * partial download is a FormatError naming the URL; nothing is cached then.
 */
export async function loadCatalogModel(tk, entry, { onProgress, inputShape } = {}) {
  try {
    return await tk.loadLayersModel(entry.url, { onProgress, cache: true, inputShape });
  } catch (error) {
    if (error instanceof FormatError && !error.message.includes(entry.url)) {
      throw new FormatError(`backbone '${entry.id}' from ${entry.url}: ${error.message}`);
    }
    throw error;
  }
}

async function loadCatalogBackbone(tk, entry, options) {
  const full = await loadCatalogModel(tk, entry, { onProgress: options.onProgress });
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const backbone = await loadBackbone(tk, full, { cutLayer: entry.cutLayer, scale: entry.scale, offset: entry.offset, ...given });
  return { ...backbone, name: entry.name, source: entry.url, catalogId: entry.id };
}

function isNodeFileUrl(url) {
  return url.protocol === 'file:' && typeof process === 'object' && typeof window === 'undefined';
}
