// TF.js-style options ({units, useBias, inputShape}) to Keras configs
// ({units, use_bias, input_shape}): the core speaks Keras, users speak JS.

const snake = (key) => key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
const camel = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/** Options object with camelCase keys -> Keras config with snake_case keys. */
export function toKerasConfig(options = {}) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`layer options must be an object, got ${JSON.stringify(options)}`);
  }
  const config = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    config[snake(key)] = value;
  }
  return config;
}

/** Keras config -> camelCase options (for getConfig() results). */
export function fromKerasConfig(config) {
  if (Array.isArray(config)) return config.map(fromKerasConfig);
  if (config === null || typeof config !== 'object') return config;
  const out = {};
  for (const [key, value] of Object.entries(config)) out[camel(key)] = value;
  return out;
}

export function json(value) {
  return JSON.stringify(value);
}
