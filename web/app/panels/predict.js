// Try the model: images chosen, dropped or captured are classified in the
// worker; each gets its top classes with probability bars.
import { acceptDrops } from '../io/drop.js';
import { readImages } from '../io/image_intake.js';

const SHOWN = 3;

export function bindPredict({ input, dropzone, cameraButton, list, worker, camera, errors }) {
  const urls = [];  // object URLs of the shown thumbnails, freed with them

  async function classify(files) {
    // The previous results go at once: what is shown always belongs to the latest choice.
    urls.splice(0).forEach((url) => URL.revokeObjectURL(url));
    list.replaceChildren();
    list.setAttribute('aria-busy', 'true');
    try {
      const { images, problems } = await readImages(files);
      problems.forEach((p) => errors.show(p));
      if (!images.length) return;
      const results = await worker.call('predict', { images: images.map((i) => i.blob) });
      list.append(...results.map((result, i) => item(images[i], result, urls)));
      results.filter((r) => r.error).forEach((r) => errors.show(r.error));
    } catch (error) {
      errors.show(error);
    } finally {
      list.removeAttribute('aria-busy');
    }
  }

  input.addEventListener('change', () => {
    const files = Array.from(input.files);
    input.value = '';
    classify(files);
  });
  acceptDrops(dropzone, async (pending) => classify((await pending).map((d) => d.file)));
  cameraButton.addEventListener('click', async () => {
    try {
      await camera.open('Each capture is classified below.', (blob) => classify([new File([blob], `camera-${new Date().toISOString()}.jpg`, { type: 'image/jpeg' })]));
    } catch (error) {
      errors.show(error);
    }
  });
}

function item(image, result, urls) {
  const li = document.createElement('li');
  li.dataset.testid = 'prediction';
  const url = URL.createObjectURL(image.blob);
  urls.push(url);
  const img = document.createElement('img');
  img.src = url;
  img.alt = '';
  const body = document.createElement('div');
  const title = document.createElement('p');
  const file = document.createElement('span');
  file.className = 'file-name';
  file.textContent = image.name;
  if (result.error) {
    title.textContent = 'Cannot classify this image.';
    title.className = 'failed';
    body.append(title, file);
  } else {
    const best = result.top[0];
    const top = document.createElement('strong');
    top.className = 'top-class';
    top.textContent = best.className;
    title.append(top, ` ${percent(best.probability)}`);
    const bars = document.createElement('ul');
    bars.className = 'bars';
    bars.setAttribute('aria-label', `Probabilities for ${image.name}`);
    for (const { className, probability } of result.top.slice(0, SHOWN)) {
      const row = document.createElement('li');
      const name = document.createElement('span');
      name.textContent = className;
      const meter = document.createElement('meter');
      meter.min = 0;
      meter.max = 1;
      meter.value = probability;
      meter.setAttribute('aria-label', `${className}: ${percent(probability)}`);
      const value = document.createElement('span');
      value.textContent = percent(probability);
      row.append(name, meter, value);
      bars.append(row);
    }
    body.append(title, file);
    li.append(img, body, bars);
    return li;
  }
  li.append(img, body);
  return li;
}

function percent(p) {
  return `${(100 * p).toFixed(1)} %`;
}
