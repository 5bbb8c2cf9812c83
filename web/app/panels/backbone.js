// The backbone: loads it in the worker (the bundled MobileNetV2 by default, an
// ImageNet backbone of the catalog, a model.json or .onnx by URL, or from disk
// a layers or graph model.json with its shards, or an .onnx file) and shows what it is and where it comes from: name,
// input size, parameters, frozen layers, and the trained head.
import { CATALOG, findCatalogEntry } from '../../wasm/js/transfer/catalog.js';

const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const count = (n) => (Number.isFinite(n) ? n.toLocaleString('en') : '—');

export function bindBackbone({ elements, store, project, worker, errors }) {
  const { state, bar, facts, urlForm, urlInput, filesInput, bundledButton, catalogForm, catalogSelect } = elements;

  for (const entry of CATALOG.filter((e) => e.url)) {
    const option = document.createElement('option');
    option.value = entry.id;
    option.textContent = `${entry.name}, ${megabytes(entry.downloadBytes)}`;
    catalogSelect.append(option);
  }

  worker.on('backbone-progress', ({ fraction }) => {
    store.set({ backbone: { ...store.state.backbone, fraction } });
  });

  store.watch('backbone', (backbone) => {
    bar.hidden = backbone.state !== 'loading';
    if (backbone.fraction > 0) bar.value = backbone.fraction;
    else bar.removeAttribute('value');  // indeterminate until bytes arrive
    if (backbone.state === 'loading') state.textContent = `Loading ${backbone.what}…`;
    else if (backbone.state === 'ready') state.textContent = `Ready: ${backbone.info.name} (${origin(backbone.spec, backbone.info)}).`;
    else state.textContent = 'No backbone loaded; see the message above.';
    facts.root.hidden = !backbone.info;
    if (!backbone.info) return;
    const info = backbone.info;
    facts.name.textContent = info.name;
    facts.input.textContent = `${info.inputSize[0]} × ${info.inputSize[1]} pixels, RGB`;
    const pooling = info.localMaxPool > 1 ? `, each the mean of its ${info.localMaxPool} × ${info.localMaxPool} local maxima` : '';
    facts.cut.textContent = `${[info.cutLayer].flat().join(', ')} (features ${info.featureShape.join(' × ')}${pooling})`;
    showParams();
  });
  store.watch('model', showParams);
  store.watch('settings', showParams);

  function showParams() {
    const { backbone, model, settings } = store.state;
    const info = backbone.info;
    if (!info) return;
    const head = model?.info;
    const trainable = head ? head.trainableParams : info.trainableParams;
    const nonTrainable = head ? head.nonTrainableParams : info.nonTrainableParams;
    facts.params.textContent = `${count(trainable)} trainable · ${count(nonTrainable)} non-trainable`;
    const unfreeze = settings.fineTuneLayers > 0 ? `; fine-tuning unfreezes about the top ${settings.fineTuneLayers} while it runs` : '';
    facts.frozen.textContent = `${info.frozenLayers} of ${info.layers} backbone layers${unfreeze}`;
    if (!model) facts.head.textContent = 'none yet';
    else if (!head || head.opened) facts.head.textContent = `opened from files; classes: ${model.metadata.classNames.join(', ')}`;
    else {
      const tuned = head.fineTunedFrom ? `, fine-tuned above ${head.fineTunedFrom}` : '';
      facts.head.textContent = `${model.metadata.classNames.length} classes (${model.metadata.classNames.join(', ')})${tuned}${settingsText(head.settings)}`;
    }
  }

  // "; trained 14 epochs at learning rate 0.001, dropout 0.5, 4 views per image (epochs, ... chosen by 3-fold cross-validation)"
  function settingsText(s) {
    if (!s) return '';
    const views = s.views > 1 ? `${s.views} augmented views per image` : 'no augmentation';
    const names = { epochs: 'epochs', learningRate: 'learning rate', dropout: 'dropout', views: 'augmentation' };
    const how = s.chosen.length ? ` (${s.chosen.map((k) => names[k]).join(', ')} chosen by ${s.folds}-fold cross-validation)` : s.reason ? ` (defaults: ${s.reason})` : '';
    return `; trained ${s.epochs} epochs at learning rate ${s.learningRate}, dropout ${s.dropout}, ${views}${how}`;
  }

  // Where the backbone in use comes from, said plainly; from files, in which format.
  function origin(spec, info) {
    if (!spec || spec.kind === 'bundled') return 'bundled with Tanuki, works offline';
    if (spec.kind === 'catalog') return `downloaded from ${findCatalogEntry(spec.id)?.host ?? 'its public host'}, kept in this browser`;
    if (spec.kind === 'url') return `loaded from ${new URL(spec.url, location.href).host}`;
    return `loaded from your files, ${info.format}`;
  }

  async function load(spec, what) {
    const previous = store.state.backbone;
    store.set({ backbone: { ...previous, state: 'loading', what, fraction: 0 } });
    try {
      const info = await worker.call('init', { backbone: spec });
      store.set({ backbone: { state: 'ready', info, spec } });
      project.setBackboneSpec(spec);
      return true;
    } catch (error) {
      errors.show(`The backbone cannot be loaded: ${error.message}`);
      // The worker keeps the backbone it had, if any.
      store.set({ backbone: previous.info ? { ...previous, state: 'ready' } : { state: 'error', info: null } });
      return false;
    }
  }

  urlForm.addEventListener('submit', (event) => {
    event.preventDefault();
    load({ kind: 'url', url: urlInput.value.trim() }, 'the model from the URL');
  });
  filesInput.addEventListener('change', () => {
    const files = Array.from(filesInput.files);
    filesInput.value = '';
    if (files.length) load({ kind: 'files', files }, 'the chosen model files');
  });
  catalogForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const entry = findCatalogEntry(catalogSelect.value);
    if (entry) load({ kind: 'catalog', id: entry.id }, `${entry.name} (${megabytes(entry.downloadBytes)} from ${entry.host.split(' ')[0]})`);
  });
  bundledButton.addEventListener('click', () => load({ kind: 'bundled' }, 'the bundled MobileNetV2'));

  return {
    /** Loads the saved choice, falling back to the bundled backbone if it fails. */
    async start(spec) {
      if (spec && spec.kind !== 'bundled' && (await load(spec, 'the saved backbone'))) return;
      await load({ kind: 'bundled' }, 'the bundled MobileNetV2');
    },
  };
}
