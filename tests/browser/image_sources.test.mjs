// tk.image and tk.data with browser sources, in Chromium, Firefox and WebKit:
// <canvas>, OffscreenCanvas, ImageBitmap, ImageData, <img>, and Blobs/Files
// (JPEG and PNG decoded by the core, WebP drawn by the browser; an engine
// whose canvas cannot encode WebP hands back PNG, decoded the same way).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engines, openEngine } from './drivers/index.mjs';

for (const { name: engine, skip } of engines()) {
  test(`browser image sources decode to the same pixels (${engine})`, { skip }, async () => {
    const page = await openEngine(engine);
    try {
      const r = await page.evaluate(async () => {
        const { default: tanuki } = await import('/wasm/js/index.js');
        const tk = await tanuki.load();
        // 40 x 20: left half red, right half blue.
        const canvas = Object.assign(document.createElement('canvas'), { width: 40, height: 20 });
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = 'rgb(255, 0, 0)';
        ctx.fillRect(0, 0, 20, 20);
        ctx.fillStyle = 'rgb(0, 0, 255)';
        ctx.fillRect(20, 0, 20, 20);
        const ends = (tensor) => {
          const v = Array.from(tensor.dataSync()).map(Math.round);
          return { shape: tensor.shape, first: v.slice(0, 3), last: v.slice(-3) };
        };
        const blob = (type) => new Promise((resolve) => canvas.toBlob(resolve, type, 0.95));
        const png = await blob('image/png');
        const img = Object.assign(new Image(), { src: URL.createObjectURL(png) });
        const out = {
          canvas: ends(tk.image.decode(canvas, { size: [10, 20] })),
          bitmap: ends(tk.image.decode(await createImageBitmap(canvas), { size: [4, 4], crop: 'center' })),
          offscreen: ends(tk.image.decode(new OffscreenCanvas(2, 2))),
          imageData: ends(tk.image.decode(ctx.getImageData(0, 0, 40, 20))),
          png: ends(await tk.image.decodeAsync(png)),
          jpeg: ends(await tk.image.decodeAsync(new File([await blob('image/jpeg')], 'photo.jpg'))),
          webp: ends(await tk.image.decodeAsync(await blob('image/webp'))),
          img: ends(await tk.image.decodeAsync(img, { size: [2, 2] })),
        };
        try {
          tk.image.decode(png);
        } catch (error) {
          out.syncBlob = `${error.name}: ${error.message}`;
        }
        const files = await tk.data.imagesFromFiles({ red: [new File([png], 'a.png')], blue: [new File([await blob('image/webp')], 'b.png')] }, { imageSize: [4, 4] });
        out.files = { count: files.count, classNames: files.classNames, shape: files.x.shape };
        return out;
      });
      for (const name of ['canvas', 'png', 'imageData']) {
        assert.deepEqual(r[name].first, [255, 0, 0], name);
        assert.deepEqual(r[name].last, [0, 0, 255], name);
      }
      assert.deepEqual(r.canvas.shape, [1, 10, 20, 3]);
      assert.deepEqual(r.bitmap, { shape: [1, 4, 4, 3], first: [255, 0, 0], last: [0, 0, 255] });
      assert.deepEqual(r.offscreen.first, [255, 255, 255]);  // a blank canvas is transparent: white
      assert.deepEqual(r.png.shape, [1, 20, 40, 3]);
      for (const name of ['jpeg', 'webp']) {
        assert.deepEqual(r[name].shape, [1, 20, 40, 3], name);
        assert.ok(r[name].first[0] > 240 && r[name].last[2] > 240, `${name}: ${JSON.stringify(r[name])}`);
      }
      assert.deepEqual(r.img, { shape: [1, 2, 2, 3], first: [255, 0, 0], last: [0, 0, 255] });
      assert.match(r.syncBlob, /ValueError: .*decodeAsync/);
      assert.deepEqual(r.files, { count: 2, classNames: ['blue', 'red'], shape: [2, 4, 4, 3] });
    } finally {
      await page.close();
    }
  });
}
