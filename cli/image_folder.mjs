// Labelled images from a folder: DIR/<class>/*.{jpg,jpeg,png}, classes and
// files in sorted order so that runs are repeatable.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './args.mjs';

const IMAGE = /\.(jpe?g|png)$/i;

export async function listImageFolder(dir) {
  const info = await stat(dir).catch(() => null);
  if (!info) throw new UsageError(`data folder ${dir} does not exist`);
  if (!info.isDirectory()) throw new UsageError(`${dir} is not a folder`);
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const classes = [];
  const examples = [];
  const ignored = [];
  for (const name of entries) {
    const files = (await readdir(join(dir, name))).sort();
    const images = files.filter((f) => IMAGE.test(f));
    ignored.push(...files.filter((f) => !IMAGE.test(f)).map((f) => join(name, f)));
    if (!images.length) continue;
    classes.push(name);
    for (const f of images) examples.push({ image: join(dir, name, f), label: name });
  }
  return { classes, examples, ignored };
}
