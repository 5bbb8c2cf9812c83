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
 * Everything the Embind module binds, found by the marks Embind leaves (a
 * free function carries its argument count; a class's prototype has
 * isAliasOf): {name, owner, key, isClass}, owner[key] being the function.
 * Names are "function", "Class" (the class itself, called with new) or
 * "Class.method". takeLastError, the guard's own channel, is not among them.
 */
export function bindingsOf(core) {
  const out = [];
  for (const [name, value] of Object.entries(core)) {
    if (name === 'takeLastError' || typeof value !== 'function') continue;
    if (typeof value.argCount === 'number') out.push({ name, owner: core, key: name, isClass: false });
    if (!value.prototype || !('isAliasOf' in value.prototype)) continue;
    out.push({ name, owner: core, key: name, isClass: true });
    for (const key of Object.getOwnPropertyNames(value.prototype)) {
      if (!handleMethods.has(key) && typeof value.prototype[key] === 'function')
        out.push({ name: `${name}.${key}`, owner: value.prototype, key, isClass: false });
    }
  }
  return out;
}

/**
 * Wraps every binding of the Embind module (bindingsOf) so that an error
 * recorded by the C++ side is thrown as a JavaScript error by the call that
 * caused it. Nothing is listed by hand: a new binding is guarded as soon as
 * it exists.
 */
export function guardCore(core) {
  const check = (result) => {
    const record = core.takeLastError();
    if (!record) return result;
    if (result && typeof result.delete === 'function' && !result.isDeleted()) result.delete();
    const newline = record.indexOf('\n');
    const ErrorClass = kinds[record.slice(0, newline)] ?? TanukiError;
    throw new ErrorClass(record.slice(newline + 1));
  };
  for (const { owner, key, isClass } of bindingsOf(core)) {
    const fn = owner[key];
    owner[key] = isClass
      ? new Proxy(fn, { construct: (target, args, newTarget) => check(Reflect.construct(target, args, newTarget)) })
      : function guardedCall(...args) {
          return check(fn.apply(this, args));
        };
  }
  return core;
}
