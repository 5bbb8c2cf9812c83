// The protocol between a page and a Tanuki worker, both sides of it; the
// page's training worker (web/app/worker/) and the element's worker speak it.
//
//   request  page -> worker  {id, type, ...payload}
//            worker -> page  {id, result} or {id, error: {name, message}}
//   signal   page -> worker  {type}: no id, no answer, handled at once, even
//                            while a request runs (such as 'stop')
//   event    worker -> page  {event, ...fields}: progress, at any time
//
// The worker runs requests one at a time, in the order they arrive. An error
// keeps its class's name (ValueError, OutOfMemoryError...) on the page. It
// lives beside the element because the package ships this folder.

/**
 * The page's side. createWorker() makes the Worker; the caller writes it as
 * `new Worker(new URL('./x.worker.js', import.meta.url), ...)`, the one form
 * bundlers recognise. Options:
 *   onEvent(message)      every event the worker posts
 *   crashError(event)     the Error pending calls fail with when the worker
 *                         dies (event: the worker's 'error' or 'messageerror')
 *   onCrash(error)        after they failed
 *   restart               start a fresh worker after a crash (default false)
 */
export function connectWorker(createWorker, { onEvent = () => {}, crashError, onCrash = () => {}, restart = false }) {
  const pending = new Map();
  let nextId = 1;
  let worker = start();

  function start() {
    const w = createWorker();
    w.onmessage = ({ data }) => {
      if (data.event) return onEvent(data);
      const call = pending.get(data.id);
      if (!call) return;
      pending.delete(data.id);
      if (data.error) call.reject(Object.assign(new Error(data.error.message), { name: data.error.name }));
      else call.resolve(data.result);
    };
    w.onerror = (event) => {
      event.preventDefault();
      crashed(event);
    };
    w.onmessageerror = crashed;
    return w;
  }

  function failPending(error) {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  }

  function crashed(event) {
    worker.terminate();
    const error = crashError(event);
    failPending(error);
    worker = restart ? start() : null;
    onCrash(error);
  }

  return {
    /** Resolves with the worker's result; `transfer` lists buffers moved rather than copied. */
    call(type, payload = {}, transfer = []) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, type, ...payload }, transfer);
      });
    },
    signal(type) {
      worker.postMessage({ type });
    },
    /** Stops the worker; pending calls fail with `reason`. */
    terminate(reason) {
      worker?.terminate();
      worker = null;
      failPending(new Error(reason));
    },
  };
}

/** A handler's result whose buffers are moved to the page rather than copied. */
export function transferring(result, transfer) {
  return new Transferred(result, transfer);
}

class Transferred {
  constructor(result, transfer) {
    this.result = result;
    this.transfer = transfer;
  }
}

/** Posts an event ({event, ...fields}) to the page. */
export function postEvent(event, fields) {
  self.postMessage({ event, ...fields });
}

/**
 * The worker's side: answers each request with handlers[type](payload)
 * (sync or async; its result or transferring(result, buffers)), one at a
 * time, and runs signals[type]() as soon as a signal arrives.
 */
export function serveRequests(handlers, signals = {}) {
  let queue = Promise.resolve();
  self.onmessage = ({ data }) => {
    if (data.id === undefined) {
      signals[data.type]?.();
      return;
    }
    queue = queue.then(() => answer(data));
  };

  async function answer({ id, type, ...payload }) {
    try {
      const answered = await handlers[type](payload);
      const { result, transfer } = answered instanceof Transferred ? answered : { result: answered, transfer: [] };
      self.postMessage({ id, result }, transfer);
    } catch (error) {
      self.postMessage({ id, error: { name: error?.name ?? 'Error', message: error?.message ?? String(error) } });
    }
  }
}
