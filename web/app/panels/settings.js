// Training settings: the form's fields, their defaults, and their values
// checked and typed. null is "auto": the classifier chooses that setting by
// cross-validation (wasm/js/transfer/head_settings.js).
export const DEFAULT_SETTINGS = {
  epochs: null,
  batchSize: 16,
  learningRate: null,
  validationSplit: 0.2,
  augment: null,
  fineTuneLayers: 0,
  fineTuneEpochs: 2,
  fineTuneLearningRate: 0.00001,
};

const INTEGERS = new Set(['epochs', 'batchSize', 'fineTuneLayers', 'fineTuneEpochs']);

/** Keeps the form and the stored settings in step; changes go through onChange. */
export function bindSettings({ form, store, onChange, errors }) {
  const field = (name) => form.elements.namedItem(name);

  store.watch('settings', (settings) => {
    for (const [name, value] of Object.entries({ ...DEFAULT_SETTINGS, ...settings })) {
      const input = field(name);
      if (!input) continue;
      if (input.type === 'checkbox') input.checked = value;
      else if (document.activeElement !== input) input.value = value === null ? '' : String(value);
    }
    form.elements.namedItem('fineTuneEpochs').disabled = !(settings.fineTuneLayers > 0);
    form.elements.namedItem('fineTuneLearningRate').disabled = !(settings.fineTuneLayers > 0);
  });

  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('change', (event) => {
    const input = event.target;
    if (!input.checkValidity()) {
      errors.show(`${labelOf(input)}: ${input.validationMessage}`);
      return;
    }
    onChange({ ...store.state.settings, [input.name]: read(input) });
  });

  return {
    /** The settings, or null after showing what is wrong with the form. */
    validated() {
      for (const input of form.elements) {
        if (input.name && !input.disabled && !input.checkValidity()) {
          errors.show(`${labelOf(input)}: ${input.validationMessage}`);
          input.focus();
          return null;
        }
      }
      const settings = { ...DEFAULT_SETTINGS };
      for (const name of Object.keys(DEFAULT_SETTINGS)) settings[name] = read(field(name));
      return settings;
    },
  };
}

function read(input) {
  if (input.type === 'checkbox') return input.checked;
  if (input.value === '') return null;  // auto
  if (input.name === 'augment') return input.value === 'true';
  return INTEGERS.has(input.name) ? Number.parseInt(input.value, 10) : Number(input.value);
}

function labelOf(input) {
  const fieldset = input.closest('fieldset')?.querySelector('legend')?.textContent;
  const label = input.closest('label')?.textContent.trim().split('\n')[0];
  return fieldset ? `${fieldset} — ${label}` : label;
}
