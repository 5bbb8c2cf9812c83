// A CMYK JPEG (as print workflows and some cameras write them) decodes to the
// right RGB colour. The file is made at test time with ImageMagick.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTanuki } from './helpers.mjs';

const convert = '/usr/bin/convert';
const available = spawnSync(convert, ['-version'], { encoding: 'utf8' }).stdout?.includes('ImageMagick');

test('CMYK JPEG decodes to RGB', { skip: !available && 'ImageMagick is not installed' }, async () => {
  const tk = await loadTanuki();
  const file = join(await mkdtemp(join(tmpdir(), 'tanuki-cmyk-')), 'cmyk.jpg');
  const made = spawnSync(convert, ['-size', '16x8', 'xc:rgb(200,40,30)', '-colorspace', 'CMYK', '-quality', '95', file]);
  assert.equal(made.status, 0, String(made.stderr));
  const bytes = new Uint8Array(await readFile(file));
  const pixels = tk.image.decode(bytes).dataSync();
  assert.equal(pixels.length, 16 * 8 * 3);
  for (let i = 0; i < pixels.length; i += 3) {
    assert.ok(Math.abs(pixels[i] - 200) <= 3 && Math.abs(pixels[i + 1] - 40) <= 3 && Math.abs(pixels[i + 2] - 30) <= 3, `pixel ${i / 3}: ${pixels.slice(i, i + 3)}`);
  }
});
