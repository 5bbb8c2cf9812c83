// The class list: one card per class with its name, image count, thumbnails
// and the ways to add images. Cards and thumbnails are kept by id and updated
// in place, so adding an image does not redraw the others. Names are set as
// text (textContent, input values), never as HTML.
import { acceptDrops } from '../io/drop.js';
import { readImages } from '../io/image_intake.js';

export function createClassList({ container, template, addButton, panel, store, project, errors, camera }) {
  const cards = new Map();  // class id -> card
  let cameraShown = false;

  addButton.addEventListener('click', () => {
    const created = project.addClass();
    cards.get(created.id)?.name.select();
  });

  async function addFiles(classId, files) {
    const { images, problems } = await readImages(files);
    problems.forEach((p) => errors.show(p));
    if (store.state.classes.some((c) => c.id === classId)) project.addImages(classId, images);
  }

  // Folders dropped on the panel become classes (by folder name); loose files need a class.
  acceptDrops(panel, async (pending) => {
    const dropped = await pending;
    for (const [folder, items] of byFolder(dropped)) {
      if (folder === null) {
        errors.show('Drop loose image files on a class (or drop folders here: one class per folder).');
        continue;
      }
      await addFiles(project.classNamed(folder).id, items.map((d) => d.file));
    }
  });

  function createCard(cls) {
    const root = template.content.firstElementChild.cloneNode(true);
    const card = {
      root,
      name: root.querySelector('.class-name'),
      count: root.querySelector('.count'),
      files: root.querySelector('.class-files'),
      camera: root.querySelector('.class-camera'),
      remove: root.querySelector('.delete-class'),
      thumbs: root.querySelector('.thumbs'),
      thumbMap: new Map(),  // image id -> {item, url}
      cls,
    };
    const id = cls.id;
    card.name.addEventListener('change', () => {
      const problem = project.renameClass(id, card.name.value);
      if (problem) {
        errors.show(problem);
        card.name.value = card.cls.name;
      }
    });
    card.name.addEventListener('keydown', (event) => event.key === 'Enter' && card.name.blur());
    card.files.addEventListener('change', async () => {
      const files = Array.from(card.files.files);
      card.files.value = '';
      await addFiles(id, files);
    });
    card.remove.addEventListener('click', () => {
      const next = card.root.nextElementSibling ?? card.root.previousElementSibling;
      project.deleteClass(id);
      (next?.querySelector('.class-name') ?? addButton).focus();
    });
    card.camera.addEventListener('click', async () => {
      try {
        await camera.open(`Capturing images for class “${card.cls.name}”`, (blob) => project.addImages(id, [{ blob, name: `camera-${new Date().toISOString()}.jpg` }]));
      } catch (error) {
        errors.show(error);
      }
    });
    card.thumbs.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-image]');
      if (!button) return;
      const next = button.closest('li').nextElementSibling ?? button.closest('li').previousElementSibling;
      project.removeImage(id, button.dataset.image);
      (next?.querySelector('button') ?? card.files).focus();
    });
    acceptDrops(root, async (pending) => addFiles(id, (await pending).map((d) => d.file)));
    return card;
  }

  function thumbnail(card, image, index) {
    const url = URL.createObjectURL(image.blob);
    const item = document.createElement('li');
    const img = document.createElement('img');
    img.src = url;
    img.alt = '';
    img.loading = 'lazy';
    img.decoding = 'async';
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.image = image.id;
    button.textContent = '×';
    item.title = image.name ?? '';
    item.append(img, button);
    card.thumbMap.set(image.id, { item, url, button });
    labelThumb(card, image, index);
    return item;
  }

  function labelThumb(card, image, index) {
    card.thumbMap.get(image.id).button.setAttribute('aria-label', `Remove image ${index + 1} (${image.name ?? 'image'}) from ${card.cls.name}`);
  }

  function update(card, cls, index) {
    card.cls = cls;
    if (document.activeElement !== card.name) card.name.value = cls.name;
    card.name.setAttribute('aria-label', `Name of class ${index + 1}`);
    card.files.setAttribute('aria-label', `Add images to ${cls.name}`);
    card.camera.setAttribute('aria-label', `Capture images for ${cls.name} with the camera`);
    card.remove.setAttribute('aria-label', `Delete class ${cls.name} and its images`);
    card.camera.hidden = !cameraShown;
    card.count.textContent = `${cls.images.length} ${cls.images.length === 1 ? 'image' : 'images'}`;

    const wanted = new Set(cls.images.map((i) => i.id));
    for (const [id, thumb] of card.thumbMap) {
      if (wanted.has(id)) continue;
      thumb.item.remove();
      URL.revokeObjectURL(thumb.url);
      card.thumbMap.delete(id);
    }
    // Images are only ever appended or removed, so new thumbnails go at the end.
    const fresh = [];
    cls.images.forEach((image, i) => {
      if (card.thumbMap.has(image.id)) labelThumb(card, image, i);
      else fresh.push(thumbnail(card, image, i));
    });
    card.thumbs.append(...fresh);
  }

  function render(classes) {
    const alive = new Set(classes.map((c) => c.id));
    for (const [id, card] of cards) {
      if (alive.has(id)) continue;
      for (const thumb of card.thumbMap.values()) URL.revokeObjectURL(thumb.url);
      card.root.remove();
      cards.delete(id);
    }
    classes.forEach((cls, index) => {
      let card = cards.get(cls.id);
      if (!card) {
        card = createCard(cls);
        cards.set(cls.id, card);
      }
      if (container.children[index] !== card.root) container.insertBefore(card.root, container.children[index] ?? null);
      update(card, cls, index);
    });
  }

  store.watch('classes', render);

  return {
    /** Shows the per-class camera buttons (once a camera is known to exist). */
    showCamera() {
      cameraShown = true;
      render(store.state.classes);
    },
  };
}

function byFolder(items) {
  const map = new Map();
  for (const item of items) map.set(item.folder, [...(map.get(item.folder) ?? []), item]);
  return map;
}
