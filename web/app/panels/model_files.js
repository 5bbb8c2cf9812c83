// The trained model as files: model.json (TF.js layers format, class names in
// userDefinedMetadata), weights.bin and classes.json; and opening such files
// again, which also makes sure the project has a class for each name.
import { download } from '../io/download.js';

export function bindModelFiles({ exportButton, importInput, store, project, worker, errors, notify }) {
  store.watch('model', (model) => {
    exportButton.disabled = !model;
  });

  exportButton.addEventListener('click', () => {
    const { model } = store.state;
    if (!model) return errors.show('There is no trained model to download yet.');
    download('model.json', new Blob([JSON.stringify(model.artifacts.modelJson)], { type: 'application/json' }));
    download('weights.bin', new Blob([model.artifacts.weightData], { type: 'application/octet-stream' }));
    download('classes.json', new Blob([JSON.stringify(model.metadata.classNames)], { type: 'application/json' }));
  });

  importInput.addEventListener('change', async () => {
    const files = Array.from(importInput.files);
    importInput.value = '';
    if (!files.length) return;
    try {
      const { artifacts, metadata, info } = await worker.call('importModel', { files });
      for (const name of metadata.classNames) project.classNamed(name);
      project.setTrained({ model: { artifacts, metadata, info, savedAt: new Date().toISOString() }, history: [], report: null });
      notify(`Opened a model with classes ${metadata.classNames.join(', ')}.`);
    } catch (error) {
      errors.show(`The model cannot be opened: ${error.message}`);
    }
  });
}
