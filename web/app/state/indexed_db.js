// IndexedDB's requests and transactions as promises, for the page's project
// database and the worker's feature store.

export function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Resolves when the transaction commits; `failure` is the message when no error says why. */
export function finished(transaction, failure = 'the browser could not store the project') {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    // The failing request's error: the transaction's own stays null until it
    // has aborted (WebKit fires error first, with transaction.error null).
    transaction.onerror = (event) => reject(event.target.error ?? transaction.error ?? new Error(failure));
    transaction.onabort = () => reject(transaction.error ?? new Error('the storage transaction was aborted'));
  });
}
