// The project: classes with their images, the settings, the trained model
// and its training history. Every change goes to the store (the page redraws)
// and to storage (it survives a reload).
const newId = () => crypto.randomUUID();

export function createProject({ store, storage, errors, onSaving = () => {} }) {
  // Writes still under way (storing thousands of images takes seconds):
  // onSaving(count) lets the page say so and keep a reload from cutting
  // them off, which would lose the images not yet stored.
  let pending = 0;
  const persist = (promise) => {
    onSaving(++pending);
    return promise.catch((error) => errors.show(error)).finally(() => onSaving(--pending));
  };
  const classes = () => store.state.classes;

  function setClasses(next) {
    store.set({ classes: next });
  }

  function unusedName() {
    const taken = new Set(classes().map((c) => c.name));
    let n = classes().length + 1;
    while (taken.has(`Class ${n}`)) n++;
    return `Class ${n}`;
  }

  /** The reason a name cannot be used for class `id`, or null. */
  function nameProblem(name, id) {
    if (!name) return 'A class needs a name.';
    if (name.length > 80) return 'Class names are at most 80 characters long.';
    if (classes().some((c) => c.name === name && c.id !== id)) return `There is already a class named “${name}”.`;
    return null;
  }

  return {
    nameProblem,

    /** Adds a class (named "Class N" unless a name is given); returns it. */
    addClass(name = unusedName()) {
      const created = { id: newId(), name, images: [] };
      setClasses([...classes(), created]);
      persist(storage.saveClass(created, classes().length - 1));
      return created;
    },

    /** Renames a class; returns an error message instead when the name cannot be used. */
    renameClass(id, rawName) {
      const name = rawName.trim();
      const problem = nameProblem(name, id);
      if (problem) return problem;
      const index = classes().findIndex((c) => c.id === id);
      const renamed = { ...classes()[index], name };
      setClasses(classes().map((c) => (c.id === id ? renamed : c)));
      persist(storage.saveClass(renamed, index));
      return null;
    },

    deleteClass(id) {
      setClasses(classes().filter((c) => c.id !== id));
      persist(storage.deleteClass(id));
    },

    /** Adds images [{blob, name, thumbnail?, trainingCopy?}] to a class. */
    addImages(classId, images) {
      if (!images.length) return;
      const added = images.map(({ blob, name, thumbnail, trainingCopy }) => ({ id: newId(), blob, name, thumbnail, trainingCopy }));
      setClasses(classes().map((c) => (c.id === classId ? { ...c, images: [...c.images, ...added] } : c)));
      persist(storage.addImages(classId, added));
    },

    /**
     * Stores the thumbnail made for an image that had none. Not a write the
     * page waits for: a thumbnail lost to a reload or a full disk is made again.
     */
    storeThumbnail(imageId, thumbnail) {
      storage.setThumbnail(imageId, thumbnail).catch(() => {});
    },

    removeImage(classId, imageId) {
      setClasses(classes().map((c) => (c.id === classId ? { ...c, images: c.images.filter((i) => i.id !== imageId) } : c)));
      persist(storage.deleteImage(imageId));
    },

    /** The class with this name, created if missing. */
    classNamed(name) {
      return classes().find((c) => c.name === name) ?? this.addClass(name);
    },

    setSettings(settings) {
      store.set({ settings });
      persist(storage.setValue('settings', settings));
    },

    setBackboneSpec(spec) {
      persist(storage.setValue('backbone', spec));
    },

    /** The trained model {artifacts, metadata, info, savedAt}, its history and validation report. */
    setTrained({ model, history, report }) {
      store.set({ model, history, report });
      persist(storage.setValue('model', model));
      persist(storage.setValue('history', history));
      persist(storage.setValue('report', report ?? undefined));
    },

    /** Replaces the whole project (opening a project file). */
    async replace({ classes: incoming, settings, model, history, report, backbone }) {
      const next = incoming.map((c) => ({ id: newId(), name: c.name, images: c.images.map((i) => ({ id: newId(), blob: i.blob, name: i.name })) }));
      await storage.replaceAll({ classes: next, values: { settings, model: model ?? undefined, history, report: report ?? undefined, backbone } });
      store.set({ classes: next, settings, model: model ?? null, history: history ?? [], report: report ?? null });
    },
  };
}
