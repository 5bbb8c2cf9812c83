// The page: restores the project saved in this browser, starts the training
// worker with the backbone, and connects the panels.
import { cameraAvailable, createCamera } from './io/camera.js';
import { ignoreStrayDrops } from './io/drop.js';
import { bindBackbone } from './panels/backbone.js';
import { bindCharts } from './panels/charts.js';
import { createClassList } from './panels/class_list.js';
import { createErrorView } from './panels/errors.js';
import { createIntakeProgress } from './panels/intake_progress.js';
import { bindModelFiles } from './panels/model_files.js';
import { bindPredict } from './panels/predict.js';
import { bindProjectFiles } from './panels/project_files.js';
import { bindReport } from './panels/report.js';
import { bindSettings, DEFAULT_SETTINGS } from './panels/settings.js';
import { bindStorageUse } from './panels/storage_use.js';
import { bindTraining } from './panels/training.js';
import { memoryOnlyStorage, openProjectStorage } from './state/persistence.js';
import { createProject } from './state/project.js';
import { createStore } from './state/store.js';
import { createTrainingWorker } from './worker/training_client.js';

const $ = (id) => document.getElementById(id);

const errors = createErrorView(document.querySelector('[data-testid="error"]'), $('error-list'), $('error-dismiss'));
const notice = $('notice');
const notify = (text) => {
  notice.textContent = text;
};
ignoreStrayDrops();

let storage;
try {
  storage = await openProjectStorage();
} catch (error) {
  errors.show(`This browser does not let the page store data (${error.message}); the project will not survive a reload.`);
  storage = memoryOnlyStorage();
}
let saved = { classes: [], values: {} };
try {
  saved = await storage.load();
} catch (error) {
  errors.show(`The saved project cannot be read (${error.message}); starting with an empty one.`);
}

const store = createStore({
  classes: saved.classes,
  settings: { ...DEFAULT_SETTINGS, ...saved.values.settings },
  model: saved.values.model ?? null,
  history: saved.values.history ?? [],
  report: saved.values.report ?? null,
  backbone: { state: 'loading', what: 'Tanuki', fraction: 0, info: null },
  training: { running: false },
});
const storageUse = bindStorageUse({ line: $('storage-use'), usage: $('storage-usage'), persistence: $('storage-persistence'), store });
// While images are being stored, the page says so (the root's data-saving
// attribute, shown by the stylesheet) and asks before it is left or reloaded.
// Once everything is stored, the storage figures are drawn again.
let saving = 0;
window.addEventListener('beforeunload', (event) => {
  if (saving) event.preventDefault();
});
const project = createProject({
  store,
  storage,
  errors,
  onSaving: (count) => {
    saving = count;
    document.documentElement.toggleAttribute('data-saving', count > 0);
    if (count === 0) storageUse.refresh();
  },
});

// A worker that died is restarted: it gets the backbone and the model back.
let backbonePanel = null;
const worker = createTrainingWorker({
  onRestart: (error) => {
    errors.show(error);
    store.set({ training: { running: false } });
    backbonePanel.start(store.state.backbone.spec);
    restoreModel();
  },
});

async function restoreModel() {
  const { model } = store.state;
  if (!model) return;
  try {
    await worker.call('useModel', { artifacts: model.artifacts });
  } catch (error) {
    errors.show(`The saved model cannot be loaded (${error.message}); train again or open a model.`);
  }
}

const camera = createCamera({
  section: $('camera'),
  video: $('camera-video'),
  target: $('camera-target'),
  captureButton: $('camera-capture'),
  closeButton: $('camera-close'),
});

const classList = createClassList({
  container: $('class-list'),
  template: $('class-template'),
  addButton: $('add-class'),
  panel: $('class-list').closest('section'),
  store,
  project,
  errors,
  camera,
  intake: createIntakeProgress({ root: $('intake'), bar: $('intake-progress'), text: $('intake-text'), stopButton: $('intake-stop'), status: $('intake-status'), focusAfter: $('classes-heading') }),
});

const settingsForm = bindSettings({ form: $('settings'), store, errors, onChange: (settings) => project.setSettings(settings) });

backbonePanel = bindBackbone({
  elements: {
    state: $('backbone-state'),
    bar: $('backbone-progress'),
    facts: {
      root: $('backbone-facts'),
      name: $('fact-name'),
      input: $('fact-input'),
      cut: $('fact-cut'),
      params: $('fact-params'),
      frozen: $('fact-frozen'),
      head: $('fact-head'),
    },
    urlForm: $('backbone-url-form'),
    urlInput: $('backbone-url'),
    filesInput: $('backbone-files'),
    bundledButton: $('backbone-bundled'),
    catalogForm: $('backbone-catalog-form'),
    catalogSelect: $('backbone-catalog'),
  },
  store,
  project,
  worker,
  errors,
});

bindTraining({
  elements: { trainButton: $('train'), stopButton: $('stop'), bar: $('train-progress'), text: $('progress-text'), log: $('epoch-log') },
  store,
  project,
  worker,
  settingsForm,
  errors,
  notify,
});
bindCharts({ lossCanvas: $('chart-loss'), accuracyCanvas: $('chart-accuracy'), store });
bindReport({ section: $('report'), summary: $('report-summary'), table: $('confusion'), cellImages: $('cell-images'), mistakes: $('label-mistakes'), store });
bindPredict({ input: $('predict-files'), dropzone: $('predict-drop'), cameraButton: $('predict-camera'), list: $('predictions'), worker, camera, errors });
bindModelFiles({ exportButton: $('export-model'), onnxButton: $('export-onnx'), importInput: $('import-model'), store, project, worker, errors, notify });
bindProjectFiles({
  exportButton: $('export-project'),
  importInput: $('import-project'),
  store,
  project,
  errors,
  notify,
  onOpened: async (opened) => {
    await restoreModel();
    const current = store.state.backbone.spec ?? { kind: 'bundled' };
    if (opened.backbone.kind !== 'bundled' || current.kind !== 'bundled') await backbonePanel.start(opened.backbone);
  },
});

if (store.state.classes.length === 0) {
  project.addClass();
  project.addClass();
}

restoreModel();
backbonePanel.start(saved.values.backbone);

cameraAvailable().then((available) => {
  if (!available) return;
  classList.showCamera();
  $('predict-camera').hidden = false;
});
