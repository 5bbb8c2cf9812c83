// tk.loadLayersModel(source) and model.save(destination) in the TF.js layers format.
import { FormatError, ValueError } from '../errors.js';
import { openDownloadCache } from './download_cache.js';
import { isGraphModelJson } from './graph_model.js';
import { readShards, resolveSource } from './sources.js';

/**
 * Loads a Keras model saved in the TF.js layers format (model.json + weight
 * shards). source: a URL, a path or directory (Node), the File objects of
 * model.json and its shards (browser), or {modelJson, weightData}.
 * Options: strict (default true: every manifest weight must be used),
 * onProgress(fraction), fetchOptions, weightUrlConverter(path) -> URL of a
 * shard (for URL sources), cache (default false: keep the downloaded files
 * in the download cache and read them from there next time, offline too),
 * inputShape ([h, w, c]: rebuild the model for another input size, as
 * keras.applications' input_shape does; fully convolutional models only).
 */
export async function loadLayersModel(tk, source, { strict = true, onProgress, fetchOptions, weightUrlConverter, cache = false, inputShape } = {}) {
  const downloadCache = cache ? await openDownloadCache() : undefined;
  const from = await resolveSource(source, { fetchOptions, weightUrlConverter, cache: downloadCache });
  const text = inputShape ? withInputShape(await from.modelJson(), inputShape) : await from.modelJson();
  const paths = JSON.parse(tk.core.weightShardPaths(text));  // validates model.json first
  if (isGraphModelJson(JSON.parse(text))) {
    throw new FormatError(`${from.description} is a TF.js graph model: load it with tk.loadGraphModel() or tk.loadModel()`);
  }
  const weights = await readShards(from, paths, source, onProgress);
  const handle = tk.core.loadLayersModel(text, weights, strict);
  // Kept only now that every weight is present, of the manifest's size and finite.
  await from.commit?.();
  const model = tk.wrapModel(handle);
  model.source = from.description;
  model.userDefinedMetadata = JSON.parse(text).userDefinedMetadata;
  return model;
}

/**
 * model.json with the model's input declared as [null, ...shape]: the input
 * layer's batch_input_shape (functional models) or the first layer's
 * (Sequential). Layers whose weights depend on the input size (a Dense after
 * Flatten) then fail to load with the manifest's shapes, naming the layer.
 */
function withInputShape(text, shape) {
  if (!Array.isArray(shape) || !shape.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
    throw new ValueError(`inputShape must be an array of positive integers without the batch dimension, got ${JSON.stringify(shape)}`);
  }
  const json = JSON.parse(text);
  const topology = json.modelTopology?.model_config ?? json.modelTopology;
  const layers = topology?.config?.layers ?? (Array.isArray(topology?.config) ? topology.config : undefined);
  const first = layers?.find((l) => l.class_name === 'InputLayer') ?? layers?.[0];
  const declared = first?.config?.batch_input_shape;
  if (!Array.isArray(declared)) throw new FormatError('model.json: cannot find the input shape to change (no batch_input_shape)');
  if (declared.length !== shape.length + 1) {
    throw new ValueError(`inputShape [${shape}] has ${shape.length} dimensions; this model takes ${declared.length - 1}`);
  }
  first.config.batch_input_shape = [null, ...shape];
  return JSON.stringify(json);
}

/**
 * {modelJson (object), weightData (Uint8Array)} for a model; `metadata` goes
 * into model.json's userDefinedMetadata (TF.js keeps it there too).
 */
export function modelArtifacts(tk, model, weightsPath = 'weights.bin', metadata) {
  const saved = tk.core.saveLayersModel(model.handle, weightsPath);
  try {
    const start = saved.weightsPointer();
    const weightData = tk.core.HEAPU8.slice(start, start + saved.weightsSize());
    const modelJson = JSON.parse(saved.modelJson());
    if (metadata) modelJson.userDefinedMetadata = metadata;
    return { modelJson, weightData };
  } finally {
    saved.delete();
  }
}

/**
 * Saves a model. destination: a directory path (Node; written to a
 * temporary folder and renamed, so an interrupted save never leaves a
 * half-written model), 'downloads://name' (browser: model.json +
 * name.weights.bin downloads), or a function receiving the artifacts.
 * `extraFiles` ({name: string | Uint8Array}) are written beside model.json.
 */
export async function saveLayersModel(tk, model, destination, { extraFiles = {}, metadata } = {}) {
  if (typeof destination === 'function') return destination(modelArtifacts(tk, model, 'weights.bin', metadata));
  if (typeof destination !== 'string') throw new ValueError('save() takes a directory path, "downloads://name" or a function');
  if (destination.startsWith('downloads://')) {
    const name = destination.slice('downloads://'.length) || 'model';
    const artifacts = modelArtifacts(tk, model, `${name}.weights.bin`, metadata);
    download(`${name}.json`, new Blob([JSON.stringify(artifacts.modelJson)], { type: 'application/json' }));
    download(`${name}.weights.bin`, new Blob([artifacts.weightData], { type: 'application/octet-stream' }));
    for (const [file, content] of Object.entries(extraFiles)) download(file, new Blob([content]));
    return { modelJson: artifacts.modelJson, weightBytes: artifacts.weightData.length };
  }
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const dir = path.resolve(destination);
  const artifacts = modelArtifacts(tk, model, 'weights.bin', metadata);
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await fs.mkdir(tmp, { recursive: true });
  try {
    await fs.writeFile(path.join(tmp, 'weights.bin'), artifacts.weightData);
    for (const [file, content] of Object.entries(extraFiles)) await fs.writeFile(path.join(tmp, file), content);
    await fs.writeFile(path.join(tmp, 'model.json'), JSON.stringify(artifacts.modelJson));
    const old = `${dir}.old-${process.pid}-${Date.now()}`;
    const existed = await fs.stat(dir).then(() => true, () => false);
    if (existed) await fs.rename(dir, old);
    await fs.rename(tmp, dir);
    if (existed) await fs.rm(old, { recursive: true, force: true });
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw new FormatError(`cannot save the model to ${dir}: ${error.message}`);
  }
  return { modelJson: artifacts.modelJson, weightBytes: artifacts.weightData.length, path: dir };
}

function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
