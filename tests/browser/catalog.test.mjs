// The page's backbone catalog: an ImageNet backbone picked from the list is
// downloaded from its public host — served here from ../shared/models by
// intercepting the real requests, so the page's own loading and caching code
// runs and nothing leaves the machine — kept in Cache Storage, and loads
// again offline after a reload. A failed download is a message naming the
// URL, and the backbone in use stays.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NO_BROWSER, backboneReady, chromiumOnly, errorMessages, openPage, reloadWhenSaved } from './helpers.mjs';

const SHARED = fileURLToPath(new URL('../../../shared/models/mobilenet_v1_0.25_224/', import.meta.url));
const HOST = 'https://storage.googleapis.com/';
const V1_PREFIX = `${HOST}tfjs-models/tfjs/mobilenet_v1_0.25_224/`;
const NO_MODEL = !existsSync(`${SHARED}model.json`) && 'no ../shared/models/mobilenet_v1_0.25_224';

chromiumOnly('the backbone catalog in the page', "it serves the catalog's downloads from local copies through Playwright's request routes, which also reach the page's worker; the Firefox and WebKit drivers here intercept no requests");

describe('the backbone catalog in the page', { skip: NO_BROWSER || NO_MODEL }, () => {
  let session;
  let page;
  const downloads = [];
  let offline = false;

  before(async () => {
    session = await openPage();
    page = session.page;
    await session.context.route(`${HOST}**`, (route) => {
      const url = route.request().url();
      downloads.push(url);
      if (offline || !url.startsWith(V1_PREFIX)) return route.fulfill({ status: 404, body: 'not here' });
      const file = `${SHARED}${url.slice(V1_PREFIX.length)}`;
      if (!existsSync(file)) return route.fulfill({ status: 404, body: 'no such file' });
      return route.fulfill({ status: 200, body: readFileSync(file), headers: { 'access-control-allow-origin': '*' } });
    });
    await backboneReady(page);
  });

  after(async () => {
    await session?.close();
  });

  const status = () => page.getByTestId('backbone-status').textContent();

  test('the bundled backbone is said to be bundled', async () => {
    assert.match(await status(), /Ready: MobileNetV2 .*bundled with Tanuki, works offline/);
  });

  test('a catalog backbone downloads from its host and is said to be', async () => {
    await page.locator('.backbone-choice summary').click();
    await page.getByTestId('backbone-catalog').selectOption('mobilenet_v1_0.25');
    await page.locator('#backbone-catalog-form button[type="submit"]').click();
    await page.getByTestId('backbone-status').getByText(/Ready: MobileNetV1 0\.25/).waitFor({ timeout: 120_000 });
    assert.match(await status(), /downloaded from storage\.googleapis\.com/);
    assert.ok(downloads.some((u) => u === `${V1_PREFIX}model.json`), 'model.json was requested from the public host');
    assert.match(await page.locator('#fact-cut').textContent(), /conv_pw_13_relu/);
  });

  test('a failed download names the URL and keeps the backbone in use', async () => {
    await page.getByTestId('backbone-catalog').selectOption('mobilenet_v2_0.35');
    await page.locator('#backbone-catalog-form button[type="submit"]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="error"] li').length > 0, null, { timeout: 60_000 });
    const [message] = await errorMessages(page);
    assert.match(message, /mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0\.35_224_no_top\/model\.json/);
    assert.match(message, /404/);
    await page.getByTestId('backbone-status').getByText(/Ready: MobileNetV1 0\.25/).waitFor({ timeout: 30_000 });
  });

  test('after a reload, offline, the chosen backbone loads from the browser cache', async () => {
    offline = true;
    downloads.length = 0;
    await reloadWhenSaved(page);
    await page.getByTestId('backbone-status').getByText(/Ready: MobileNetV1 0\.25/).waitFor({ timeout: 120_000 });
    assert.deepEqual(downloads, [], 'nothing was fetched from the host');
  });
});
