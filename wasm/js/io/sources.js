// Where a model comes from: a URL, a path in Node, File objects chosen in a
// browser, or bytes already in memory. Each source yields model.json text and
// a function that reads a shard by its manifest path.
import { FormatError, ValueError } from '../errors.js';

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';
/** Bytes accepted from a URL before the load is refused. */
export const MAX_MODEL_BYTES = 512 * 1024 * 1024;

async function fetchBytes(url, what, fetchOptions) {
  let response;
  try {
    response = await fetch(url, fetchOptions);
  } catch (error) {
    throw new FormatError(`cannot fetch ${what} from ${url}: ${error.message}`);
  }
  if (!response.ok) throw new FormatError(`cannot fetch ${what} from ${url}: HTTP ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_MODEL_BYTES) throw new FormatError(`${what} at ${url} is ${length} bytes, more than the ${MAX_MODEL_BYTES} accepted`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_MODEL_BYTES) throw new FormatError(`${what} at ${url} is larger than the ${MAX_MODEL_BYTES} bytes accepted`);
  return bytes;
}

/**
 * weightUrlConverter(path) may move a shard elsewhere (as TF.js's option:
 * bundlers rename files). With a download cache (io/download_cache.js) every
 * file is read from it when there, and what was fetched is kept by commit(),
 * called once the whole model has loaded.
 */
function fromUrl(url, fetchOptions, weightUrlConverter, cache) {
  const base = new URL(url, globalThis.location?.href);
  if (base.protocol !== 'http:' && base.protocol !== 'https:' && base.protocol !== 'file:' && base.protocol !== 'blob:') {
    throw new ValueError(`model URLs must be http(s), got ${base.protocol}`);
  }
  const fetched = new Map();
  const get = async (href, what) => {
    const cached = await cache?.get(href);
    if (cached) return cached;
    const bytes = await fetchBytes(href, what, fetchOptions);
    if (cache) fetched.set(href, bytes);
    return bytes;
  };
  return {
    description: base.href,
    async modelJson() {
      return new TextDecoder().decode(await get(base.href, 'model.json'));
    },
    shard: async (path) => get(new URL(weightUrlConverter ? await weightUrlConverter(path) : path, base).href, `weights file '${path}'`),
    async commit() {
      for (const [href, bytes] of fetched) await cache.put(href, bytes).catch(() => {});
      fetched.clear();
    },
  };
}

async function fromPath(path) {
  const fs = await import('node:fs/promises');
  const nodePath = await import('node:path');
  let file = path;
  const stat = await fs.stat(file).catch(() => null);
  if (!stat) throw new FormatError(`no model at ${path}: the file does not exist`);
  if (stat.isDirectory()) file = nodePath.join(file, 'model.json');
  const dir = nodePath.dirname(file);
  return {
    description: file,
    async modelJson() {
      const text = await fs.readFile(file, 'utf8').catch((e) => {
        throw new FormatError(`cannot read ${file}: ${e.code ?? e.message}`);
      });
      return text;
    },
    async shard(name) {
      const shardPath = nodePath.resolve(dir, name);
      return new Uint8Array(
        await fs.readFile(shardPath).catch(() => {
          throw new FormatError(`weights file '${name}' is missing (looked for ${shardPath})`);
        }),
      );
    },
  };
}

function fromFiles(files) {
  const list = Array.from(files);
  const json = list.find((f) => f.name.endsWith('.json'));
  if (!json) throw new ValueError('choose model.json together with its weight files');
  const byName = new Map(list.map((f) => [f.name, f]));
  return {
    description: json.name,
    modelJson: () => json.text(),
    async shard(path) {
      const name = path.split('/').pop();
      const file = byName.get(name);
      if (!file) throw new FormatError(`weights file '${name}' was not among the chosen files`);
      return new Uint8Array(await file.arrayBuffer());
    },
  };
}

function fromArtifacts({ modelJson, weightData, weights }) {
  const data = weightData ?? weights;
  const text = typeof modelJson === 'string' ? modelJson : JSON.stringify(modelJson);
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data ?? new ArrayBuffer(0));
  let served = false;
  return {
    description: 'model artifacts',
    modelJson: async () => text,
    // Artifacts carry the shards already concatenated: the first request gets them all.
    async shard() {
      if (served) return new Uint8Array(0);
      served = true;
      return bytes;
    },
  };
}

/** Resolves what the user passed to loadLayersModel() into a source. */
export async function resolveSource(source, options = {}) {
  if (typeof source === 'string') {
    const looksLikeUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || !isNode;
    return looksLikeUrl ? fromUrl(source, options.fetchOptions, options.weightUrlConverter, options.cache) : fromPath(source);
  }
  if (source instanceof URL) {
    return isNode && source.protocol === 'file:'
      ? fromPath(decodeURIComponent(source.pathname))
      : fromUrl(source.href, options.fetchOptions, options.weightUrlConverter, options.cache);
  }
  if (source && (Array.isArray(source) || (typeof FileList !== 'undefined' && source instanceof FileList))) return fromFiles(source);
  if (source && typeof source === 'object' && 'modelJson' in source) return fromArtifacts(source);
  throw new ValueError('loadLayersModel() takes a URL, a path (Node), File objects, or {modelJson, weightData}');
}

/**
 * The weight shards model.json lists, read from the source and concatenated
 * in manifest order (artifacts carry theirs already concatenated).
 */
export async function readShards(from, paths, source, onProgress) {
  const shards = [];
  for (let i = 0; i < paths.length; i++) {
    shards.push(await from.shard(paths[i]));
    onProgress?.((i + 1) / Math.max(1, paths.length));
  }
  if (paths.length === 0 && source && typeof source === 'object' && 'weightData' in source) shards.push(await from.shard(''));
  const weights = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  shards.reduce((offset, s) => (weights.set(s, offset), offset + s.length), 0);
  return weights;
}
