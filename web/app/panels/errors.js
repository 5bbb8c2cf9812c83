// Every failure becomes a visible message: the error panel lists them until
// dismissed, and the page carries on.

const MAX_MESSAGES = 6;

/** A sentence for the user from an error thrown here or posted by the worker. */
export function describeError(error) {
  // Some browser APIs fail without a reason (a rejection with null, an
  // IndexedDB transaction whose error is null): say so rather than "null".
  if (error === null || error === undefined || error === '') return 'Something failed and the browser gave no reason. Reload the page; if it happens again, download the project to keep it.';
  const name = error?.name ?? 'Error';
  const message = error?.message || String(error);
  switch (name) {
    case 'TrainingDivergedError':
      return `Training diverged: the loss became NaN or infinite (${message}). Try a lower learning rate or turn augmentation off.`;
    case 'OutOfMemoryError':
      return `Out of memory: ${message}. Try fewer or smaller images, or a smaller batch size.`;
    case 'QuotaExceededError':
      return 'The browser refused to store more data (storage quota exceeded). Remove images or download the project to keep it.';
    default:
      return message;
  }
}

export function createErrorView(panel, list, dismissButton) {
  dismissButton.addEventListener('click', clear);

  function clear() {
    list.replaceChildren();
    panel.hidden = true;
  }

  /**
   * Shows a message (text, never HTML). A message already listed is not
   * repeated: one failure reported by several parts of the page (a worker
   * crash fails the call that was running too) reads once.
   */
  function show(errorOrMessage) {
    const text = typeof errorOrMessage === 'string' ? errorOrMessage : describeError(errorOrMessage);
    panel.hidden = false;
    if (Array.from(list.children).some((item) => item.textContent === text)) return;
    const item = document.createElement('li');
    item.textContent = text;
    list.append(item);
    while (list.children.length > MAX_MESSAGES) list.firstElementChild.remove();
  }

  // Anything not caught elsewhere still ends up in front of the user.
  window.addEventListener('error', (event) => {
    event.preventDefault();
    show(event.error ?? event.message);
  });
  window.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    show(event.reason);
  });

  return { show, clear };
}
