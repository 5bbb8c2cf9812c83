// Errors thrown by Tanuki. The core records a C++ exception as (kind,
// message); guardCore() checks that record after every call into the
// WebAssembly module and throws the matching class here.

export class TanukiError extends Error {
  constructor(message) {
    super(message);
    this.name = this.constructor.name;
  }
}
/** A wrong argument, shape or option. */
export class ValueError extends TanukiError {}
/** A call made in the wrong order: fit before compile, use after dispose. */
export class StateError extends TanukiError {}
/** An unreadable or inconsistent file: model.json, weights, images. */
export class FormatError extends TanukiError {}
/** The WebAssembly heap could not grow; the instance keeps working. */
export class OutOfMemoryError extends TanukiError {}
/** Training stopped because the loss became NaN or infinite. */
export class TrainingDivergedError extends TanukiError {}

const kinds = { ValueError, StateError, FormatError, OutOfMemoryError, TrainingDivergedError };

// Methods every Embind handle has; they never record errors.
const handleMethods = new Set(['constructor', 'delete', 'clone', 'isDeleted', 'deleteLater', 'isAliasOf']);

/**
 * Wraps every bound function (listed by the caller) and every class method and class method of the Embind module so that an
 * error recorded by the C++ side is thrown as a JavaScript error.
 */
export function guardCore(core, boundFunctions) {
  const check = (result) => {
    const record = core.takeLastError();
    if (!record) return result;
    if (result && typeof result.delete === 'function' && !result.isDeleted()) result.delete();
    const newline = record.indexOf('\n');
    const ErrorClass = kinds[record.slice(0, newline)] ?? TanukiError;
    throw new ErrorClass(record.slice(newline + 1));
  };
  const wrap = (fn) =>
    function guardedCall(...args) {
      return check(fn.apply(this, args));
    };
  for (const [name, value] of Object.entries(core)) {
    if (name === 'takeLastError' || typeof value !== 'function') continue;
    if (value.prototype && 'isAliasOf' in value.prototype) {
      wrapPrototype(value.prototype);  // an Embind class
    } else if (boundFunctions.has(name)) {
      core[name] = wrap(value);
    }
  }
  function wrapPrototype(proto) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (handleMethods.has(key)) continue;
      const desc = Object.getOwnPropertyDescriptor(proto, key);
      if (typeof desc.value === 'function') proto[key] = wrap(desc.value);
    }
  }
  return core;
}
