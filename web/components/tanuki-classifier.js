// <tanuki-classifier>: an image classifier a page embeds with two lines of
// HTML. Visitors add photos of each class, train, and classify new photos;
// everything runs in a module worker on their device.
//
//   <script type="module" src="tanuki-classifier.js"></script>
//   <tanuki-classifier classes="cat,dog" epochs="10"></tanuki-classifier>
//
// Attributes: classes (comma-separated, at least two), epochs (default: chosen
// with the learning rate by cross-validation, as everywhere in Tanuki;
// predictions average each photo with its mirror image, as ImageClassifier's do),
// backbone (a catalog name such as mobilenet_v2_0.35, downloaded once from
// its public host and cached, or the URL, relative to the page, of a layers
// or graph model.json or an .onnx file;
// default: the bundled MobileNetV2). Events, as CustomEvents with a detail:
//   progress   {phase: 'backbone' | 'features' | 'settings' | 'train', fraction, epoch?, epochs?, logs?}
//   trained    {classNames, epochs, logs}
//   prediction {name, predictions: [{className, probability}]}
//   error      {message}
// Methods: addImages(className, files), train(), predict(image).
// Styling: ::part() (see PARTS below) and the custom properties --tanuki-accent,
// --tanuki-accent-text, --tanuki-line, --tanuki-radius. No inline styles or
// scripts, so the element works under a strict Content Security Policy.
import { findCatalogEntry } from '../../wasm/js/transfer/catalog.js';

import { connectWorker } from './worker_rpc.js';

const THUMBNAILS = 12;

const STYLE = `
:host {
  --tanuki-accent: #8a5a2b;
  --tanuki-accent-text: #fff;
  --tanuki-line: #d8d0c4;
  --tanuki-radius: 8px;
  display: block;
  font: inherit;
  color: inherit;
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
[part~="container"] { display: grid; gap: .75rem; }
[part~="classes"] { display: grid; gap: .5rem; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); margin: 0; padding: 0; list-style: none; }
[part~="class"] { border: 1px solid var(--tanuki-line); border-radius: var(--tanuki-radius); padding: .6rem; display: grid; gap: .4rem; }
[part~="class-header"] { display: flex; align-items: baseline; gap: .5rem; flex-wrap: wrap; }
[part~="class-name"] { font-weight: 600; }
[part~="count"] { opacity: .75; font-size: .9em; }
[part~="thumbnails"] { display: flex; flex-wrap: wrap; gap: 4px; min-height: 0; }
[part~="thumbnail"] { width: 40px; height: 40px; object-fit: cover; border-radius: 4px; }
[part~="actions"], [part~="controls"] { display: flex; align-items: center; gap: .5rem; flex-wrap: wrap; }
[part~="button"] {
  display: inline-flex; align-items: center; padding: .4rem .8rem; border-radius: var(--tanuki-radius);
  border: 1px solid var(--tanuki-accent); background: var(--tanuki-accent); color: var(--tanuki-accent-text);
  font: inherit; cursor: pointer;
}
[part~="button"][part~="secondary"] { background: transparent; color: inherit; }
[part~="button"]:focus-within, button:focus-visible { outline: 2px solid var(--tanuki-accent); outline-offset: 2px; }
button:disabled, label:has(input:disabled) { opacity: .5; cursor: not-allowed; }
/* File inputs stay focusable for keyboards; their label is the visible button. */
input[type="file"] { position: absolute; width: 1px; height: 1px; opacity: 0; overflow: hidden; }
[part~="progress"] { flex: 1; min-width: 8rem; accent-color: var(--tanuki-accent); }
[part~="status"] { margin: 0; min-height: 1.5em; }
[part~="status"][part~="error"] { color: #b3261e; }
[part~="result"] { display: flex; gap: .75rem; align-items: flex-start; margin: 0; }
[part~="result"][hidden] { display: none; }
[part~="preview"] { width: 96px; height: 96px; object-fit: cover; border-radius: var(--tanuki-radius); }
[part~="predictions"] { margin: 0; padding: 0; list-style: none; display: grid; gap: .25rem; flex: 1; }
[part~="prediction"] { display: grid; grid-template-columns: minmax(4rem, auto) 1fr 4rem; gap: .5rem; align-items: center; }
[part~="prediction-bar"] { width: 100%; accent-color: var(--tanuki-accent); }
[part~="prediction-probability"] { text-align: right; font-variant-numeric: tabular-nums; }
`;

const TEMPLATE = `
<div part="container">
  <ol part="classes"></ol>
  <div part="controls">
    <button type="button" part="button train-button" disabled>Train</button>
    <progress part="progress" max="1" value="0" aria-label="Progress"></progress>
  </div>
  <p part="status" role="status" aria-live="polite"></p>
  <div part="actions">
    <label part="button predict-button">Classify a photo<input type="file" accept="image/*" name="predict" disabled></label>
  </div>
  <figure part="result" hidden>
    <img part="preview" alt="">
    <ol part="predictions" aria-label="Predictions"></ol>
  </figure>
</div>`;

let sheet = null;
function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
  }
  return sheet;
}

const percent = (p) => `${(100 * p).toFixed(1)} %`;

/** The element's worker (worker_rpc.js's protocol); onCrash(message) when it dies. */
function startWorker(onEvent, onCrash) {
  return connectWorker(
    // Written in the one form bundlers recognise, so that they bundle the worker too.
    () => new Worker(new URL('./classifier.worker.js', import.meta.url), { type: 'module', name: 'tanuki-classifier' }),
    {
      onEvent,
      crashError: (event) => new Error(`the classifier's worker stopped (${event.message || 'it could not be loaded'})`),
      onCrash: (error) => onCrash(error.message),
    },
  );
}

export class TanukiClassifier extends HTMLElement {
  static observedAttributes = ['classes', 'backbone'];

  #root;
  #worker = null;
  #images = new Map();  // class name -> {files: File[], urls: string[]}
  #trained = null;      // {classNames, backbone} of the model in the worker
  #training = false;
  #previewUrl = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.adoptedStyleSheets = [styleSheet()];
    const template = document.createElement('template');
    template.innerHTML = TEMPLATE;
    this.#root.append(template.content);
    this.#part('train-button').addEventListener('click', () => this.train().catch(() => {}));
    this.#part('predict-button').querySelector('input').addEventListener('change', (event) => {
      const [file] = event.target.files;
      event.target.value = '';
      if (file) this.predict(file).catch(() => {});
    });
  }

  /** Class names from the `classes` attribute, without blanks or repeats. */
  get classNames() {
    const names = (this.getAttribute('classes') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    return [...new Set(names)];
  }

  get epochs() {
    const n = Number(this.getAttribute('epochs'));
    return this.hasAttribute('epochs') && Number.isInteger(n) && n > 0 ? n : undefined;
  }

  /**
   * 'bundled', a catalog name (backbone="mobilenet_v2_0.35", downloaded once
   * from its public host and cached), or the backbone attribute as an
   * absolute URL (the worker resolves against its own URL).
   */
  get backbone() {
    const value = this.getAttribute('backbone');
    if (!value) return 'bundled';
    return findCatalogEntry(value)?.id ?? new URL(value, document.baseURI).href;
  }

  connectedCallback() {
    this.#renderClasses();
    if (!this.#worker) {
      this.#worker = startWorker((progress) => this.#onProgress(progress), (message) => {
        this.#worker = null;
        this.#trained = null;
        this.#fail(message);
      });
      this.#loadBackbone();
    }
  }

  disconnectedCallback() {
    // Moving the element disconnects and reconnects it in one task: keep the worker then.
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.#worker?.terminate('the element was removed from the page');
      this.#worker = null;
      this.#trained = null;
    });
  }

  attributeChangedCallback(name, before, after) {
    // Before connectedCallback (an upgrade) there is nothing to update yet.
    if (before === after || !this.#worker) return;
    if (name === 'classes') this.#renderClasses();
    if (name === 'backbone') this.#loadBackbone();
  }

  /** Adds photos (Files or Blobs) to a class. */
  addImages(className, files) {
    const entry = this.#images.get(className);
    if (!entry) throw new Error(`'${className}' is not one of this classifier's classes (${this.classNames.join(', ')})`);
    for (const file of files) {
      entry.files.push(file);
      entry.urls.push(URL.createObjectURL(file));
    }
    this.#renderClass(className);
    this.#updateControls();
  }

  /** Trains a new model on the photos added; resolves with the `trained` event's detail. */
  async train() {
    const classes = this.classNames.map((name) => ({ name, images: this.#images.get(name).files }));
    const empty = classes.filter((c) => !c.images.length).map((c) => c.name);
    if (classes.length < 2) return this.#fail('Name at least two classes in the classes attribute.', true);
    if (empty.length) return this.#fail(`Add photos of ${empty.join(', ')} first.`, true);
    if (!this.#worker) this.connectedCallback();
    this.#training = true;
    this.#updateControls();
    this.#status(`Training on ${classes.reduce((n, c) => n + c.images.length, 0)} photos…`);
    try {
      const backbone = this.backbone;
      const detail = await this.#worker.call('train', { classes, epochs: this.epochs, backbone });
      this.#trained = { classNames: detail.classNames, backbone };
      const accuracy = detail.logs.accuracy;
      this.#status(`Trained for ${detail.epochs} epochs${accuracy === undefined ? '' : `: training accuracy ${percent(accuracy)}`}. Classify a photo to try it.`);
      this.#emit('trained', detail);
      return detail;
    } catch (error) {
      return this.#fail(`Training failed: ${error.message}`, true);
    } finally {
      this.#training = false;
      this.#updateControls();
    }
  }

  /** The trained model's top classes for one photo; resolves with [{className, probability}]. */
  async predict(image) {
    if (!this.#trained) return this.#fail('Train the classifier first.', true);
    try {
      const predictions = await this.#worker.call('predict', { image });
      this.#showPrediction(image, predictions);
      const detail = { name: image.name ?? null, predictions };
      this.#emit('prediction', detail);
      return predictions;
    } catch (error) {
      return this.#fail(`This photo cannot be classified: ${error.message}`, true);
    }
  }

  #part(name) {
    return this.#root.querySelector(`[part~="${name}"]`);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #status(text, isError = false) {
    const status = this.#part('status');
    status.textContent = text;
    status.setAttribute('part', isError ? 'status error' : 'status');
  }

  /** Shows and announces an error; `rethrow` makes the calling method reject with it. */
  #fail(message, rethrow = false) {
    this.#status(message, true);
    this.#emit('error', { message });
    if (rethrow) throw new Error(message);
  }

  async #loadBackbone() {
    this.#trained = null;
    this.#updateControls();
    const spec = this.backbone;
    // Said at once: the engine starts and the backbone arrives before any progress.
    if (!this.#training) this.#status('Loading the backbone…');
    try {
      const info = await this.#worker.call('load', { backbone: spec });
      if (spec === this.backbone && !this.#training) this.#status(`Ready: ${info.name}. Add photos of each class, then train.`);
    } catch (error) {
      if (this.#worker) this.#fail(`The backbone cannot be loaded: ${error.message}`);
    }
  }

  #onProgress(progress) {
    const { event, ...detail } = progress;
    this.#part('progress').value = detail.fraction;
    if (detail.phase === 'backbone') this.#status(`Loading the backbone… ${Math.round(100 * detail.fraction)} %`);
    if (detail.phase === 'features') this.#status(`Reading photos: ${detail.done} of ${detail.total}`);
    if (detail.phase === 'settings') this.#status(`Choosing the training settings: trial ${detail.done} of ${detail.total}`);
    if (detail.phase === 'train') {
      const accuracy = detail.logs.accuracy === undefined ? '' : `, accuracy ${percent(detail.logs.accuracy)}`;
      this.#status(`Epoch ${detail.epoch} of ${detail.epochs}: loss ${detail.logs.loss.toFixed(3)}${accuracy}`);
    }
    this.#emit('progress', detail);
  }

  /** One card per class; photos of classes that stay are kept. */
  #renderClasses() {
    const names = this.classNames;
    for (const [name, entry] of this.#images) {
      if (names.includes(name)) continue;
      entry.urls.forEach((url) => URL.revokeObjectURL(url));
      this.#images.delete(name);
    }
    const list = this.#part('classes');
    list.replaceChildren(...names.map((name) => {
      if (!this.#images.has(name)) this.#images.set(name, { files: [], urls: [] });
      const card = document.createElement('li');
      card.setAttribute('part', 'class');
      card.dataset.class = name;
      card.innerHTML = `
        <div part="class-header"><span part="class-name"></span><span part="count"></span></div>
        <div part="thumbnails"></div>
        <div part="actions">
          <label part="button add-button">Add photos<input type="file" accept="image/*" multiple></label>
          <button type="button" part="button secondary clear-button">Clear</button>
        </div>`;
      card.querySelector('[part~="class-name"]').textContent = name;
      const input = card.querySelector('input');
      input.dataset.class = name;
      input.setAttribute('aria-label', `Add photos of ${name}`);
      input.addEventListener('change', () => {
        const files = [...input.files];
        input.value = '';
        this.addImages(name, files);
      });
      card.querySelector('[part~="clear-button"]').addEventListener('click', () => this.#clear(name));
      return card;
    }));
    names.forEach((name) => this.#renderClass(name));
    if (this.#trained && this.#trained.classNames.join() !== names.join()) this.#trained = null;
    this.#updateControls();
  }

  #renderClass(name) {
    const card = [...this.#part('classes').children].find((c) => c.dataset.class === name);
    const { files, urls } = this.#images.get(name);
    card.querySelector('[part~="count"]').textContent = `${files.length} ${files.length === 1 ? 'photo' : 'photos'}`;
    card.querySelector('[part~="thumbnails"]').replaceChildren(...urls.slice(-THUMBNAILS).map((url) => {
      const img = document.createElement('img');
      img.setAttribute('part', 'thumbnail');
      img.alt = '';
      img.src = url;
      return img;
    }));
  }

  #clear(name) {
    const entry = this.#images.get(name);
    entry.urls.forEach((url) => URL.revokeObjectURL(url));
    entry.files = [];
    entry.urls = [];
    this.#renderClass(name);
    this.#updateControls();
  }

  #updateControls() {
    const ready = this.classNames.length >= 2 && this.classNames.every((n) => this.#images.get(n)?.files.length);
    this.#part('train-button').disabled = this.#training || !ready;
    this.#part('train-button').textContent = this.#training ? 'Training…' : 'Train';
    this.#part('predict-button').querySelector('input').disabled = this.#training || !this.#trained;
  }

  #showPrediction(image, predictions) {
    if (this.#previewUrl) URL.revokeObjectURL(this.#previewUrl);
    this.#previewUrl = image instanceof Blob ? URL.createObjectURL(image) : null;
    const preview = this.#part('preview');
    preview.hidden = !this.#previewUrl;
    if (this.#previewUrl) preview.src = this.#previewUrl;
    this.#part('predictions').replaceChildren(...predictions.map(({ className, probability }) => {
      const row = document.createElement('li');
      row.setAttribute('part', 'prediction');
      const name = Object.assign(document.createElement('span'), { textContent: className });
      name.setAttribute('part', 'prediction-class');
      const bar = Object.assign(document.createElement('progress'), { max: 1, value: probability });
      bar.setAttribute('part', 'prediction-bar');
      bar.setAttribute('aria-label', `${className} probability`);
      const value = Object.assign(document.createElement('span'), { textContent: percent(probability) });
      value.setAttribute('part', 'prediction-probability');
      row.append(name, bar, value);
      return row;
    }));
    this.#part('result').hidden = false;
    this.#status(`Looks like ${predictions[0].className} (${percent(predictions[0].probability)}).`);
  }
}

if (!customElements.get('tanuki-classifier')) customElements.define('tanuki-classifier', TanukiClassifier);
