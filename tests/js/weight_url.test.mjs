// loadLayersModel's weightUrlConverter: the weights of a model.json fetched
// from wherever the converter says, as bundlers rename and move files.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { loadTanuki, sameValues } from './helpers.mjs';

test('weightUrlConverter moves the weight files of a model loaded by URL', async () => {
  const tk = await loadTanuki();
  const model = tk.sequential({ layers: [tk.layers.dense({ units: 3, inputShape: [4] })] });
  const { modelJson, weightData } = model.toArtifacts();
  const files = { '/models/model.json': JSON.stringify(modelJson), '/assets/weights-1a2b3c.bin': weightData };
  const asked = [];
  const server = createServer((request, response) => {
    asked.push(request.url);
    const body = files[request.url];
    response.writeHead(body ? 200 : 404).end(body);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const loaded = await tk.loadLayersModel(`${base}/models/model.json`, {
      weightUrlConverter: async (path) => (path === 'weights.bin' ? '/assets/weights-1a2b3c.bin' : path),
    });
    assert.deepEqual(asked, ['/models/model.json', '/assets/weights-1a2b3c.bin']);
    const x = tk.ones([1, 4]);
    assert.ok(sameValues(loaded.predict(x).dataSync(), model.predict(x).dataSync()));
    // Without it, weights.bin is looked for next to model.json.
    await assert.rejects(tk.loadLayersModel(`${base}/models/model.json`), /weights file 'weights.bin'.*HTTP 404/);
  } finally {
    server.close();
  }
});
