// tk.applications: Keras's keras.applications for the catalog's networks.
//   keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights="imagenet")
//   tk.applications.mobileNetV2({inputShape: [160, 160, 3], includeTop: false})
// The pretrained weights are downloaded once from the catalog's public host
// and cached (transfer/catalog.js). A fully convolutional network is rebuilt
// at the asked input size with the same weights.
//
// weights: 'bundled' (MobileNetV2 1.0 only) takes the network shipped with
// the package instead: the same architecture, trained on other pictures than
// ImageNet (transfer/backbone.js), so that code written for an ImageNet
// backbone also runs offline. Keras's weights=None (random weights) has no
// equivalent: the architectures come from the downloaded model.json.
import { ValueError } from '../errors.js';
import { disposeAll } from '../memory.js';
import { catalogEntryFor } from './catalog.js';
import { loadBundledModel, loadCatalogModel, rebuiltAt } from './backbone.js';

async function application(tk, family, defaults, options = {}) {
  const { alpha = defaults.alpha, includeTop = defaults.includeTop, inputShape, pooling, weights = 'imagenet', onProgress, name } = options;
  const bundled = weights === 'bundled' && family === 'mobileNetV2';
  if (weights !== 'imagenet' && !bundled) {
    const choices = family === 'mobileNetV2' ? "'imagenet' or 'bundled' (the network shipped with Tanuki)" : "'imagenet'";
    throw new ValueError(`${family}: weights must be ${choices}, got ${weights}`);
  }
  if (pooling !== undefined && pooling !== null && pooling !== 'avg' && pooling !== 'max') {
    throw new ValueError(`${family}: pooling must be 'avg', 'max' or undefined, got ${pooling}`);
  }
  const entry = catalogEntryFor(family, alpha);
  if (bundled && entry.alpha !== 1) throw new ValueError(`${family}: the bundled weights are those of alpha 1.0, got alpha ${alpha}`);
  if (includeTop && (bundled || !entry.includesTop)) {
    const why = bundled ? 'the bundled network has no ImageNet top' : 'only the no-top model is published for download';
    throw new ValueError(`${family}: ${why}; pass includeTop: false`);
  }
  if (includeTop && inputShape && (inputShape[0] !== 224 || inputShape[1] !== 224)) {
    throw new ValueError(`${family}: with includeTop the input must be 224x224, as in Keras; pass includeTop: false for [${inputShape}]`);
  }
  if (bundled) {
    // Cut first, then rebuilt: the bundled network's own head takes 224x224 only.
    const full = await loadBundledModel(tk, { onProgress });
    const inputs = full.inputs;
    const features = full.layerOutput(entry.cutLayer);
    const cut = tk.model({ inputs, outputs: features });
    disposeAll(inputs, features);
    const model = inputShape ? await rebuiltAt(tk, cut, inputShape) : cut;
    if (model !== cut) cut.dispose();
    return noTop(tk, model, pooling, name ?? `${family}_1_no_top_bundled`, 'bundled');
  }
  const full = await loadCatalogModel(tk, entry, { onProgress, inputShape });
  if (includeTop) return full;
  return noTop(tk, full, pooling, name ?? `${family}_${entry.alpha}_no_top`, full.source, entry.cutLayer);
}

/** The network up to cutLayer (default: its output), with the asked global pooling on top. */
function noTop(tk, full, pooling, name, source, cutLayer) {
  const inputs = full.inputs;
  const cutAt = cutLayer ? [full.layerOutput(cutLayer)] : full.outputs;
  const pooled = pooling === 'avg' ? tk.layers.globalAveragePooling2d({}).apply(cutAt[0])
    : pooling === 'max' ? tk.layers.globalMaxPooling2d({}).apply(cutAt[0]) : null;
  const model = tk.model({ inputs, outputs: pooled ?? cutAt[0], name });
  disposeAll(inputs, cutAt, pooled);
  model.source = source;
  return model;
}

export function applications(tk) {
  return {
    /** keras.applications.MobileNetV2: alpha 0.35, 0.5, 0.75 or 1.0 (the default); no-top only; weights 'imagenet' or 'bundled' (alpha 1.0). */
    mobileNetV2: (options) => application(tk, 'mobileNetV2', { alpha: 1.0, includeTop: false }, options),
    /** keras.applications.MobileNet: alpha 0.25, 0.5, 0.75 or 1.0 (the default). */
    mobileNet: (options) => application(tk, 'mobileNet', { alpha: 1.0, includeTop: true }, options),
  };
}
