// The backbone catalog: the well-known ImageNet image models a user can pick
// by name, each downloaded once from its public host and cached (see
// io/download_cache.js). The same list serves tk.loadBackbone('<id>'),
// tk.applications, the CLI's --backbone, the page and the element.
//
// Sizes are the float32 weights the manifest lists (what is downloaded, less
// a few kB of model.json); the loader checks the shards against the manifest.
import { ValueError } from '../errors.js';

const TEACHABLE_MACHINE = 'https://storage.googleapis.com/teachable-machine-models';
const TFJS_MODELS = 'https://storage.googleapis.com/tfjs-models/tfjs';

// Keras MobileNets expect x / 127.5 - 1.
const KERAS_SCALING = { scale: 1 / 127.5, offset: -1 };

const mobileNetV2 = (alpha, params) => ({
  id: `mobilenet_v2_${alpha}`,
  name: `MobileNetV2 ${alpha} 224 (ImageNet)`,
  family: 'mobileNetV2',
  alpha: Number(alpha),
  url: `${TEACHABLE_MACHINE}/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_${alpha}_224_no_top/model.json`,
  host: 'storage.googleapis.com (the Keras applications weights Teachable Machine loads)',
  includesTop: false,
  cutLayer: 'out_relu',
  downloadBytes: params * 4,
  inputSize: [224, 224],
  ...KERAS_SCALING,
});

const mobileNetV1 = (alpha, params) => ({
  id: `mobilenet_v1_${alpha}`,
  name: `MobileNetV1 ${alpha} 224 (ImageNet)`,
  family: 'mobileNet',
  alpha: Number(alpha),
  url: `${TFJS_MODELS}/mobilenet_v1_${alpha}_224/model.json`,
  host: 'storage.googleapis.com (the TensorFlow.js MobileNetV1 layers models)',
  includesTop: true,
  cutLayer: 'conv_pw_13_relu',
  downloadBytes: params * 4,
  inputSize: [224, 224],
  ...KERAS_SCALING,
});

/** Every catalog entry; `bundled` is the offline default shipped in the package. */
export const CATALOG = Object.freeze(
  [
    {
      id: 'bundled',
      name: 'MobileNetV2 1.0 224 (nsfwjs 4.4.0)',
      family: 'bundled',
      host: 'bundled with Tanuki (no download)',
      includesTop: false,
      downloadBytes: 0,
      inputSize: [224, 224],
      scale: 1 / 255,
      offset: 0,
    },
    mobileNetV2('0.35', 410_208),
    mobileNetV2('0.50', 706_224),
    mobileNetV2('0.75', 1_382_064),
    mobileNetV2('1.00', 2_257_984),
    mobileNetV1('0.25', 475_544),
    mobileNetV1('0.50', 1_342_536),
    mobileNetV1('0.75', 2_601_976),
    mobileNetV1('1.0', 4_253_864),
  ].map(Object.freeze),
);

/** The entry with this id, or undefined. Accepts '0.5' for '0.50' and '1' for '1.0'/'1.00'. */
export function findCatalogEntry(id) {
  if (typeof id !== 'string') return undefined;
  const exact = CATALOG.find((e) => e.id === id);
  if (exact) return exact;
  const match = /^(mobilenet_v[12])_(\d+(?:\.\d+)?)$/.exec(id);
  if (!match) return undefined;
  const alpha = Number(match[2]);
  return CATALOG.find((e) => e.id.startsWith(`${match[1]}_`) && e.alpha === alpha);
}

/** The entry of a family ('mobileNetV2', 'mobileNet') at this alpha; ValueError listing the choices otherwise. */
export function catalogEntryFor(family, alpha) {
  const entries = CATALOG.filter((e) => e.family === family);
  const entry = entries.find((e) => e.alpha === Number(alpha));
  if (!entry) {
    throw new ValueError(`${family}: alpha ${alpha} is not available (choose one of ${entries.map((e) => e.alpha).join(', ')})`);
  }
  return entry;
}

export function unknownBackboneMessage(id) {
  return `unknown backbone '${id}' (the catalog has ${CATALOG.map((e) => e.id).join(', ')}; or pass the URL or path of a model.json)`;
}
