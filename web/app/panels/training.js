// Train and Stop, the progress bar (step, epoch, batch, time left) and the
// epoch log. Training itself runs in the worker; this module sends it the
// classes and settings and turns its messages into state.
const STEP_NAMES = {
  features: 'Computing features',
  settings: 'Choosing the settings (cross-validation)',
  train: 'Training the head',
  boundary: 'Preparing fine-tuning',
  'fine-tune': 'Fine-tuning',
};

function timeLeftText(seconds) {
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 60) return ` · about ${Math.max(1, Math.round(seconds))} s left in this step`;
  return ` · about ${Math.round(seconds / 60)} min left in this step`;
}

export function bindTraining({ elements, store, project, worker, settingsForm, errors, notify }) {
  const { trainButton, stopButton, bar, text, log } = elements;
  let steps = [];

  store.watch('training', (training) => {
    trainButton.disabled = training.running || store.state.backbone.state !== 'ready';
    stopButton.disabled = !training.running;
    trainButton.setAttribute('aria-busy', String(training.running));
  });
  store.watch('backbone', (backbone) => {
    trainButton.disabled = store.state.training.running || backbone.state !== 'ready';
  });
  let logged = [];
  store.watch('history', (history) => {
    renderLog(log, history, logged);
    logged = history;
  });

  worker.on('progress', (p) => {
    const index = Math.max(0, steps.indexOf(p.phase));
    bar.value = Math.min(1, (index + p.fraction) / steps.length);
    const counted = p.phase === 'settings' ? 'trial runs' : 'images';
    const detail = p.total ? ` · ${p.done}/${p.total} ${counted}` : ` · epoch ${p.epoch}/${p.epochs} · batch ${p.batch}/${p.batches}`;
    text.textContent = `Step ${index + 1} of ${steps.length}: ${STEP_NAMES[p.phase] ?? p.phase}${detail}${timeLeftText(p.timeLeft)}`;
  });
  worker.on('epoch', (e) => {
    store.set({ history: [...store.state.history, { phase: e.phase, epoch: e.epoch, epochs: e.epochs, logs: e.logs }] });
  });

  stopButton.addEventListener('click', () => {
    worker.stop();
    text.textContent = 'Stopping after the current batch…';
  });

  trainButton.addEventListener('click', async () => {
    if (store.state.training.running) return;
    const settings = settingsForm.validated();
    if (!settings) return;
    const usable = store.state.classes.filter((c) => c.images.length > 0);
    const empty = store.state.classes.filter((c) => c.images.length === 0);
    if (usable.length < 2) {
      errors.show('Training needs at least two classes with images.');
      return;
    }
    const tooSmall = usable.filter((c) => c.images.length < 2);
    if (settings.validationSplit > 0 && tooSmall.length) {
      errors.show(`With a validation split, each class needs at least 2 images; add more to ${tooSmall.map((c) => `“${c.name}”`).join(', ')} or set the split to 0.`);
      return;
    }
    const leftOut = empty.length ? ` Left out (no images): ${empty.map((c) => c.name).join(', ')}.` : '';
    if (leftOut) notify(leftOut.trim());

    const auto = settings.epochs === null || settings.learningRate === null || settings.augment === null;
    steps = ['features', ...(auto ? ['settings'] : []), 'train', ...(settings.fineTuneLayers > 0 ? ['boundary', 'fine-tune'] : [])];
    const previous = { history: store.state.history, report: store.state.report };
    store.set({ training: { running: true }, history: [], report: null });
    bar.value = 0;
    text.textContent = 'Starting…';
    const started = performance.now();
    try {
      const classes = usable.map((c) => ({ name: c.name, images: c.images.map(({ id, blob, trainingCopy, name }) => ({ id, blob: trainingCopy ?? blob, name })) }));
      const result = await worker.call('train', { classes, settings });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (!result.model) {
        store.set(previous);
        text.textContent = 'Stopped before the first epoch ended; the previous model is kept.';
        return;
      }
      project.setTrained({
        model: { ...result.model, savedAt: new Date().toISOString() },
        history: store.state.history,
        report: result.report,
      });
      bar.value = 1;
      const accuracy = Number.isFinite(result.report?.accuracy) ? `; validation accuracy ${(100 * result.report.accuracy).toFixed(1)} %` : '';
      text.textContent = `${result.stopped ? 'Stopped' : 'Trained'} in ${seconds} s${accuracy}.`;
      notify(`${result.stopped ? 'Training stopped; the model of the last completed batch is kept.' : 'Training finished: try the model below.'}${leftOut}`);
    } catch (error) {
      store.set(previous);
      text.textContent = 'Training failed; see the message above.';
      errors.show(error);
    } finally {
      store.set({ training: { running: false } });
    }
  });
}

const fixed = (v, digits = 4) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
const pct = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : '—');

/** The epoch log; while training, rows are only appended, so just the new ones are drawn. */
function renderLog(body, history, logged) {
  const continued = logged.length <= history.length && logged.every((entry, i) => entry === history[i]);
  if (!continued) body.replaceChildren();
  for (let i = body.rows.length; i < history.length; i++) {
    const { phase, epoch, epochs, logs } = history[i];
    const row = body.insertRow();
    for (const value of [
      phase === 'fine-tune' ? 'fine-tuning' : 'head',
      `${epoch}/${epochs}`,
      fixed(logs.loss),
      pct(logs.accuracy),
      fixed(logs.val_loss),
      pct(logs.val_accuracy),
    ]) {
      row.insertCell().textContent = value;
    }
  }
}
