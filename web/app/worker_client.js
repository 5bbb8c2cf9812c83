// The page's side of the training worker: call(type, payload) resolves with
// the worker's answer; on(event, listener) receives its progress messages.
// If the worker dies (the WebAssembly heap exhausted past recovery, a browser
// bug), pending calls fail with a clear message and a fresh worker is started.
const WORKER_URL = new URL('./training.worker.js', import.meta.url);

export function createTrainingWorker({ onRestart } = {}) {
  const pending = new Map();
  const listeners = new Map();
  let nextId = 1;
  let worker = start();

  function start() {
    const w = new Worker(WORKER_URL, { type: 'module', name: 'tanuki-training' });
    w.onmessage = ({ data }) => {
      if (data.event) {
        for (const listener of listeners.get(data.event) ?? []) listener(data);
        return;
      }
      const call = pending.get(data.id);
      if (!call) return;
      pending.delete(data.id);
      if (data.error) call.reject(Object.assign(new Error(data.error.message), { name: data.error.name }));
      else call.resolve(data.result);
    };
    w.onerror = (event) => {
      event.preventDefault();
      crashed(event.message || 'the training worker stopped unexpectedly');
    };
    w.onmessageerror = () => crashed('a message from the training worker could not be read');
    return w;
  }

  function crashed(reason) {
    worker.terminate();
    const error = new Error(`The training worker failed (${reason}); it has been restarted.`);
    for (const call of pending.values()) call.reject(error);
    pending.clear();
    worker = start();
    onRestart?.(error);
  }

  return {
    call(type, payload = {}, transfer = []) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, type, ...payload }, transfer);
      });
    },
    /** Asks a running training to stop after its current batch. */
    stop() {
      worker.postMessage({ type: 'stop' });
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
    },
  };
}
