// Download the whole project as one .tanuki file, and open one (which
// replaces the project in this browser).
import { download } from '../io/download.js';
import { readProjectFile, writeProjectFile } from '../io/project_format.js';

export function bindProjectFiles({ exportButton, importInput, store, project, errors, notify, onOpened }) {
  exportButton.addEventListener('click', () => {
    try {
      const { classes, settings, model, history, report, backbone } = store.state;
      download('project.tanuki', writeProjectFile({ classes, settings, model, history, report, backbone: backbone.spec }));
    } catch (error) {
      errors.show(`The project cannot be saved: ${error.message}`);
    }
  });

  importInput.addEventListener('change', async () => {
    const [file] = importInput.files;
    importInput.value = '';
    if (!file) return;
    if (store.state.training.running) return errors.show('Stop the training before opening a project.');
    try {
      const opened = await readProjectFile(file);
      await project.replace(opened);
      const images = opened.classes.reduce((n, c) => n + c.images.length, 0);
      notify(`Opened ${file.name}: ${opened.classes.length} classes, ${images} images${opened.model ? ', a trained model' : ''}.`);
      await onOpened(opened);
    } catch (error) {
      errors.show(`${file.name} cannot be opened: ${error.message}`);
    }
  });
}
