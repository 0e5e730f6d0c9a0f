// Kring as an installed web app on a flaky connection: the manifest makes it
// installable, and the service worker keeps the agenda and every unit one has
// opened readable offline, marked as an offline copy, until one logs out.
import assert from 'node:assert/strict';
import { journeys, logIn } from './support.mjs';

const journey = journeys();

journey('Kring is installable: a manifest with icons that load', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${kring.base}/`);
  const debugging = await context.newCDPSession(page);
  const manifest = await debugging.send('Page.getAppManifest');
  assert.equal(manifest.url, `${kring.base}/manifest.webmanifest`);
  assert.deepEqual(manifest.errors, []);
  const { installabilityErrors } = await debugging.send('Page.getInstallabilityErrors');
  // A test's browser context is a private window, which never installs anything.
  const errors = installabilityErrors.map((error) => error.errorId).filter((id) => id !== 'in-incognito');
  assert.deepEqual(errors, []);
  for (const icon of JSON.parse(manifest.data).icons) {
    const response = await page.request.get(`${kring.base}${icon.src}`);
    assert.equal(response.status(), 200, icon.src);
    assert.equal(response.headers()['content-type'], icon.type, icon.src);
  }
  await context.close();
});

journey('a unit and the agenda once opened read offline as marked copies; logging out forgets them', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await logIn(page, kring.base, 'priya@demo.kring');
  await page.goto(`${kring.base}/units/1`);
  // The service worker takes over this page once installed; from then on it keeps copies.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10_000 });
  const title = await page.locator('article.unit h1').textContent();
  await page.goto(`${kring.base}/units/1`);
  await page.goto(`${kring.base}/sessions`);
  const agenda = await page.locator('ol.agenda').textContent();
  assert.equal(await page.locator('.offline-copy').isVisible(), false, 'online, no offline notice');

  await context.setOffline(true);
  await page.goto(`${kring.base}/units/1`);
  assert.equal(await page.locator('article.unit h1').textContent(), title);
  const notice = page.locator('.offline-copy');
  assert.equal(await notice.isVisible(), true);
  assert.match(await notice.textContent(), /^You are offline: this is the copy saved on .*\d.*\. It may have changed since\.$/);
  assert.ok(await page.evaluate(() => [...document.styleSheets].some((sheet) => sheet.cssRules.length > 0)),
    'the copy keeps its stylesheet');
  await page.goto(`${kring.base}/sessions`);
  assert.equal(await page.locator('ol.agenda').textContent(), agenda);
  assert.equal(await page.locator('.offline-copy').isVisible(), true);
  // A unit never opened has no copy: the browser says it is offline.
  await assert.rejects(page.goto(`${kring.base}/units/3`), /ERR_INTERNET_DISCONNECTED|ERR_FAILED/);

  await context.setOffline(false);
  await page.goto(`${kring.base}/units/1`);
  assert.equal(await page.locator('.offline-copy').isVisible(), false, 'back online, the page is fresh');
  const kept = () => page.evaluate(async () => (await caches.match('/units/1')) !== undefined);
  assert.equal(await kept(), true);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/api/logout"] button')]);
  assert.equal(await kept(), false, 'logging out forgets the copies');
  await context.close();
});
