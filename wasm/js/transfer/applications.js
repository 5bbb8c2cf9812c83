// tk.applications: Keras's keras.applications for the catalog's networks.
//   keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights="imagenet")
//   tk.applications.mobileNetV2({inputShape: [160, 160, 3], includeTop: false})
// The pretrained weights are downloaded once from the catalog's public host
// and cached (transfer/catalog.js). A fully convolutional network is rebuilt
// at the asked input size with the same weights.
import { ValueError } from '../errors.js';
import { catalogEntryFor } from './catalog.js';
import { loadCatalogModel } from './backbone.js';

async function application(tk, family, defaults, options = {}) {
  const { alpha = defaults.alpha, includeTop = defaults.includeTop, inputShape, pooling, weights = 'imagenet', onProgress, name } = options;
  if (weights !== 'imagenet') throw new ValueError(`${family}: weights must be 'imagenet' (pretrained weights are the point of a backbone), got ${weights}`);
  if (pooling !== undefined && pooling !== null && pooling !== 'avg' && pooling !== 'max') {
    throw new ValueError(`${family}: pooling must be 'avg', 'max' or undefined, got ${pooling}`);
  }
  const entry = catalogEntryFor(family, alpha);
  if (includeTop && !entry.includesTop) throw new ValueError(`${family}: only the no-top model is published for download; pass includeTop: false`);
  if (includeTop && inputShape && (inputShape[0] !== 224 || inputShape[1] !== 224)) {
    throw new ValueError(`${family}: with includeTop the input must be 224x224, as in Keras; pass includeTop: false for [${inputShape}]`);
  }
  const full = await loadCatalogModel(tk, entry, { onProgress, inputShape });
  if (includeTop) return full;
  let outputs = full.layerOutput(entry.cutLayer);
  if (pooling === 'avg') outputs = tk.layers.globalAveragePooling2d({}).apply(outputs);
  if (pooling === 'max') outputs = tk.layers.globalMaxPooling2d({}).apply(outputs);
  const model = tk.model({ inputs: full.inputs, outputs, name: name ?? `${family}_${entry.alpha}_no_top` });
  model.source = full.source;
  return model;
}

export function applications(tk) {
  return {
    /** keras.applications.MobileNetV2: alpha 0.35, 0.5, 0.75 or 1.0 (the default); no-top only. */
    mobileNetV2: (options) => application(tk, 'mobileNetV2', { alpha: 1.0, includeTop: false }, options),
    /** keras.applications.MobileNet: alpha 0.25, 0.5, 0.75 or 1.0 (the default). */
    mobileNet: (options) => application(tk, 'mobileNet', { alpha: 1.0, includeTop: true }, options),
  };
}
