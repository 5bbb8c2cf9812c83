// Labelled images in a folder, DIR/<class>/..., listed as Keras's
// image_dataset_from_directory lists them: one class per sub-folder, class
// names sorted, *.jpg/*.jpeg/*.png files found at any depth and sorted at each
// level, so that every run sees the same order. The one listing behind
// tk.data.imageDatasetFromDirectory and the CLI (Node only).
import { ValueError } from '../errors.js';
import { fs, path } from './node_fs.js';

/** The file names the decoder reads. */
export const IMAGE_FILE = /\.(jpe?g|png)$/i;

function isDirectory(full) {
  try {
    return fs.statSync(full).isDirectory();  // follows symbolic links
  } catch {
    return false;
  }
}

/** Image files below `dir`, depth first, sorted at each level (as os.walk sorted). */
function walkImages(dir) {
  const out = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (isDirectory(full)) {
      out.push(...walkImages(full));
    } else if (IMAGE_FILE.test(name)) {
      out.push(full);
    }
  }
  return out;
}

/**
 * {classNames: every sub-folder, sorted; examples: [{image: path, label}]},
 * the examples in class order, as ImageClassifier.addExample() and
 * evaluate() take them.
 */
export function listImageFolder(dir) {
  if (!fs) throw new ValueError('image folders are read in Node; in a browser use tk.data.imagesFromFiles()');
  if (typeof dir !== 'string') throw new ValueError(`the directory must be a path string, got ${typeof dir}`);
  if (!fs.existsSync(dir)) throw new ValueError(`folder ${dir} does not exist`);
  if (!isDirectory(dir)) throw new ValueError(`${dir} is not a folder`);
  const classNames = fs.readdirSync(dir).filter((name) => isDirectory(path.join(dir, name))).sort();
  const examples = classNames.flatMap((label) => walkImages(path.join(dir, label)).map((image) => ({ image, label })));
  return { classNames, examples };
}
