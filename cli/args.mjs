// Minimal flag parsing for the tanuki command line: --name value, --flag,
// positional arguments; unknown flags are errors that name the flag.

export class UsageError extends Error {}

/**
 * spec: {flagName: 'string' | 'number' | 'boolean'}; returns
 * {flags: {camelCaseName: value}, positional: [...]}.
 */
export function parseArgs(argv, spec) {
  const flags = {};
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [rawName, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const type = spec[rawName];
    if (!type) throw new UsageError(`unknown option --${rawName}`);
    const name = rawName.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (type === 'boolean') {
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${rawName} needs a value`);
    if (type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new UsageError(`--${rawName} must be a number, got '${value}'`);
      flags[name] = n;
    } else {
      flags[name] = value;
    }
  }
  return { flags, positional };
}
