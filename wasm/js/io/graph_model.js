// tk.loadGraphModel(source, options): a TF.js graph model (model.json with
// "format": "graph-model" and its weight shards) imported as a functional
// model of Tanuki layers. Sources are those of loadLayersModel.
import { ValueError } from '../errors.js';
import { readShards, resolveSource } from './sources.js';

/** Whether parsed model.json is a TF.js graph model. */
export function isGraphModelJson(json) {
  return json?.format === 'graph-model' || Array.isArray(json?.modelTopology?.node);
}

/**
 * Imports a TF.js graph model. source: a URL, a path or directory (Node),
 * the File objects of model.json and its shards, or {modelJson, weightData}.
 * Options: inputShape ([h, w, c], fixes dynamic dimensions), onProgress(fraction),
 * fetchOptions, weightUrlConverter(path) -> URL of a shard.
 */
export async function loadGraphModel(tk, source, { inputShape, onProgress, fetchOptions, weightUrlConverter } = {}) {
  if (inputShape !== undefined && inputShape !== null &&
      (!Array.isArray(inputShape) || !inputShape.every((d) => Number.isInteger(d) && d > 0))) {
    throw new ValueError(`inputShape must be an array of positive integers without the batch dimension, got ${JSON.stringify(inputShape)}`);
  }
  const from = await resolveSource(source, { fetchOptions, weightUrlConverter });
  const text = await from.modelJson();
  const paths = JSON.parse(tk.core.weightShardPaths(text));  // validates model.json first
  const weights = await readShards(from, paths, source, onProgress);
  const model = tk.wrapModel(tk.core.loadGraphModel(text, weights, JSON.stringify({ inputShape: inputShape ?? null })));
  model.source = from.description;
  return model;
}
