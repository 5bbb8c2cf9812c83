// The page's state: one object, replaced (never mutated) by set(); views
// subscribe to the keys they draw and are called when those keys change.
export function createStore(initial) {
  let state = initial;
  const listeners = new Map();
  return {
    get state() {
      return state;
    },
    set(patch) {
      state = { ...state, ...patch };
      for (const key of Object.keys(patch)) for (const listener of listeners.get(key) ?? []) listener(state[key], state);
    },
    /** Calls listener(value, state) now and whenever `key` changes. */
    watch(key, listener) {
      if (!listeners.has(key)) listeners.set(key, new Set());
      listeners.get(key).add(listener);
      listener(state[key], state);
      return () => listeners.get(key).delete(listener);
    },
  };
}
