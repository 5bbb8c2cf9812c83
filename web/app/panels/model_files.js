// The trained model as files: model.json (TF.js layers format, class names in
// userDefinedMetadata), weights.bin and classes.json, or model.onnx; and
// opening the model.json files again, which also makes sure the project has a
// class for each name.
import { download } from '../io/download.js';

export function bindModelFiles({ exportButton, onnxButton, importInput, store, project, worker, errors, notify }) {
  store.watch('model', (model) => {
    exportButton.disabled = !model;
    onnxButton.disabled = !model;
  });

  exportButton.addEventListener('click', () => {
    const { model } = store.state;
    if (!model) return errors.show('There is no trained model to download yet.');
    download('model.json', new Blob([JSON.stringify(model.artifacts.modelJson)], { type: 'application/json' }));
    download('weights.bin', new Blob([model.artifacts.weightData], { type: 'application/octet-stream' }));
    download('classes.json', new Blob([JSON.stringify(model.metadata.classNames)], { type: 'application/json' }));
  });

  // The worker rebuilds the classifier from the artifacts kept in the project
  // and writes it as ONNX; the layers that act only in training are left out.
  onnxButton.addEventListener('click', async () => {
    const { model } = store.state;
    if (!model) return errors.show('There is no trained model to download yet.');
    onnxButton.disabled = true;
    try {
      const { onnx, droppedLayers, inputSize } = await worker.call('exportOnnx', { artifacts: model.artifacts });
      download('model.onnx', new Blob([onnx], { type: 'application/octet-stream' }));
      const left = droppedLayers.map((d) => d.replace(/: left out.*$/, ''));
      const leftOut = left.length ? ` Left out, as they act only in training: ${left.join(', ')}.` : '';
      notify(`Downloaded model.onnx (classes ${model.metadata.classNames.join(', ')}; input [batch, ${inputSize.join(', ')}, 3], pixels 0–255).${leftOut}`);
    } catch (error) {
      errors.show(`The model cannot be written as ONNX: ${error.message}`);
    } finally {
      onnxButton.disabled = !store.state.model;
    }
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
