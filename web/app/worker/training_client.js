// The page's side of the training worker (the protocol: components/worker_rpc.js):
// call(type, payload) resolves with the worker's answer; on(event, listener)
// receives its progress messages; stop() asks a running training to stop
// after its current batch. If the worker dies (the WebAssembly heap exhausted
// past recovery, a browser bug), pending calls fail with a clear message and
// a fresh worker is started.
import { connectWorker } from '../../components/worker_rpc.js';

export function createTrainingWorker({ onRestart } = {}) {
  const listeners = new Map();
  const worker = connectWorker(() => new Worker(new URL('./training.worker.js', import.meta.url), { type: 'module', name: 'tanuki-training' }), {
    onEvent: (message) => {
      for (const listener of listeners.get(message.event) ?? []) listener(message);
    },
    crashError: (event) => {
      const reason = event.type === 'messageerror' ? 'a message from the training worker could not be read' : event.message || 'the training worker stopped unexpectedly';
      return new Error(`The training worker failed (${reason}); it has been restarted.`);
    },
    onCrash: (error) => onRestart?.(error),
    restart: true,
  });

  return {
    call: worker.call,
    stop: () => worker.signal('stop'),
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
    },
  };
}
