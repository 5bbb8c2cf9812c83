// The class list: one card per class with its name, image count, thumbnails
// and the ways to add images. Cards and thumbnails are kept by id and updated
// in place, so adding an image does not redraw the others. A thumbnail's
// picture is only loaded once it scrolls near view: a class of thousands of
// images keeps its list items but not thousands of decoded pictures. Names
// are set as text (textContent, input values), never as HTML.
import { acceptDrops } from '../io/drop.js';
import { checkImages } from '../io/image_intake.js';
import { thumbnailOfBlob } from '../io/thumbnails.js';

// Checked images join the project this many at a time, or after this long:
// each addition redraws the class list and starts a write, so one per file
// would be slow, and all at the end would lose everything to a Stop.
const SLICE = 48;
const SLICE_MS = 1000;
// Thumbnails made for images without one (stored before thumbnails were, or
// opened from a project file) at a time.
const MAKING_AT_ONCE = 2;

// Lets the browser draw and handle input between slices of work.
const yieldToMain = () => (globalThis.scheduler?.yield ? globalThis.scheduler.yield() : new Promise((resolve) => setTimeout(resolve)));

export function createClassList({ container, template, addButton, panel, store, project, errors, camera, intake }) {
  const cards = new Map();  // class id -> card
  const made = new Map();  // image id -> thumbnail made here for an image that had none
  const making = [];  // thumbnails waiting to be made: {card, thumb}
  let makingNow = 0;
  let cameraShown = false;

  addButton.addEventListener('click', () => {
    const created = project.addClass();
    cards.get(created.id)?.name.select();
  });

  /** Checks files and adds them to a class in slices, with the intake's progress and Stop. */
  async function addFiles(classId, files) {
    if (!files.length) return;
    const job = intake.start(files.length);
    const classExists = () => store.state.classes.some((c) => c.id === classId);
    let checked = [];
    let flushed = performance.now();
    const flush = () => {
      if (checked.length && classExists()) {
        project.addImages(classId, checked);
        job.added(checked.length);
      }
      checked = [];
      flushed = performance.now();
    };
    try {
      for await (const { images, problems, done } of checkImages(files, { thumbnails: true })) {
        problems.forEach((p) => errors.show(p));
        checked.push(...images);
        job.checked(done);
        if (job.stopped || !classExists()) break;
        if (checked.length >= SLICE || performance.now() - flushed > SLICE_MS) {
          flush();
          await yieldToMain();
        }
      }
    } finally {
      flush();
      job.finish();
    }
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
      thumbMap: new Map(),  // image id -> {image, item, img, button, label, url}
      byItem: new WeakMap(),  // list item -> its thumbMap entry
      observer: null,
      cls,
    };
    // Thumbnails within a list's height of the visible part of the list are
    // loaded; where IntersectionObserver is missing, all are.
    if (typeof IntersectionObserver === 'function') {
      card.observer = new IntersectionObserver((entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          card.observer.unobserve(entry.target);
          const thumb = card.byItem.get(entry.target);
          if (thumb) show(card, thumb);
        }
      }, { root: card.thumbs, rootMargin: '100% 0px' });
    }
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
    const item = document.createElement('li');
    const img = document.createElement('img');
    img.alt = '';
    img.decoding = 'async';
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.image = image.id;
    button.textContent = '×';
    item.title = image.name ?? '';
    item.append(img, button);
    const thumb = { image, item, img, button, label: '', url: null };
    card.thumbMap.set(image.id, thumb);
    card.byItem.set(item, thumb);
    labelThumb(card, thumb, index);
    if (card.observer) card.observer.observe(item);
    else show(card, thumb);
    return item;
  }

  function labelThumb(card, thumb, index) {
    const label = `Remove image ${index + 1} (${thumb.image.name ?? 'image'}) from ${card.cls.name}`;
    if (label !== thumb.label) thumb.button.setAttribute('aria-label', label);
    thumb.label = label;
  }

  /** Loads a thumbnail's picture, making the thumbnail first if the image has none. */
  function show(card, thumb) {
    const { image } = thumb;
    const small = image.thumbnail ?? made.get(image.id);
    if (small) {
      thumb.url = URL.createObjectURL(small);
      thumb.img.src = thumb.url;
      return;
    }
    making.push({ card, thumb });
    makeThumbnails();
  }

  async function makeThumbnails() {
    while (makingNow < MAKING_AT_ONCE && making.length) {
      const { card, thumb } = making.shift();
      if (card.thumbMap.get(thumb.image.id) !== thumb) continue;  // removed while it waited
      makingNow++;
      try {
        const small = await thumbnailOfBlob(thumb.image.blob);
        made.set(thumb.image.id, small);
        project.storeThumbnail(thumb.image.id, small);
      } catch {
        // The browser cannot decode it now; the training decoder may still
        // read it, so the image stays, shown without a picture.
      } finally {
        makingNow--;
      }
      if (card.thumbMap.get(thumb.image.id) === thumb && made.has(thumb.image.id)) show(card, thumb);
    }
  }

  function drop(card, id, thumb) {
    card.observer?.unobserve(thumb.item);
    if (thumb.url) URL.revokeObjectURL(thumb.url);
    card.thumbMap.delete(id);
    made.delete(id);
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
      drop(card, id, thumb);
    }
    // Images are only ever appended or removed, so new thumbnails go at the end.
    const fresh = [];
    cls.images.forEach((image, i) => {
      const thumb = card.thumbMap.get(image.id);
      if (thumb) labelThumb(card, thumb, i);
      else fresh.push(thumbnail(card, image, i));
    });
    card.thumbs.append(...fresh);
  }

  function render(classes) {
    const alive = new Set(classes.map((c) => c.id));
    for (const [id, card] of cards) {
      if (alive.has(id)) continue;
      for (const [imageId, thumb] of card.thumbMap) drop(card, imageId, thumb);
      card.observer?.disconnect();
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
