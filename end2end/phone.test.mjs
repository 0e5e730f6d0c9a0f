// On a phone's screen (390 × 844): the header is one line with a menu button
// that opens by keyboard and without WebAssembly; on a wide screen the links
// stand in a row. Pages fetch WebAssembly only where they have something to start, and reading pages only the small module.
import assert from 'node:assert/strict';
import { journeys, logIn } from './support.mjs';

const journey = journeys();
const PHONE = { width: 390, height: 844 };

journey('on a phone the header menu is one button that opens by keyboard', async (kring) => {
  const context = await kring.browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await logIn(page, kring.base, 'priya@demo.kring');
  await page.goto(`${kring.base}/sessions`);
  const header = await page.locator('.site-header').boundingBox();
  assert.ok(header.height < 100, `the closed header is ${header.height}px high`);
  assert.equal(await page.locator('.site-header a[href="/forum"]').isVisible(), false);

  // Skip link, the name, then the menu button: Enter opens it, Tab reaches its first link.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SUMMARY');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.site-menu').getAttribute('open'), '');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '/');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '/forum');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(page.url(), /\/forum$/);
  await context.close();
});

journey('without WebAssembly the phone menu opens and its links work', async (kring) => {
  const context = await kring.browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${kring.base}/`);
  await page.click('.site-menu summary');
  await Promise.all([page.waitForNavigation(), page.click('.site-header a[href="/login"]')]);
  assert.match(page.url(), /\/login$/);
  await context.close();
});

journey('on a wide screen the links stand in the header without a menu button', async (kring) => {
  const context = await kring.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${kring.base}/`);
  assert.equal(await page.locator('.site-menu summary').isVisible(), false);
  assert.equal(await page.locator('.site-header a[href="/login"]').isVisible(), true);
  await context.close();
});

journey('a page without islands or behaviours fetches no WebAssembly; a thread fetches only the small module once shown, and goes live', async (kring) => {
  const context = await kring.browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  const code = [];
  page.on('request', (request) => {
    if (/\.(wasm|js)$/.test(new URL(request.url()).pathname)) code.push(new URL(request.url()).pathname);
  });
  await logIn(page, kring.base, 'priya@demo.kring');
  for (const path of ['/', '/sessions', '/forum']) {
    await page.goto(`${kring.base}${path}`, { waitUntil: 'networkidle' });
    assert.equal(await page.locator('leptos-island, [data-behaviour]').count(), 0, `${path} has nothing to start`);
  }
  // At most the service worker, registered on every page.
  assert.deepEqual(code.filter((path) => path !== '/sw.js'), []);

  await page.goto(`${kring.base}/forum/threads/1`);
  await page.locator('.live-status[data-state="live"]').waitFor();
  assert.ok(code.some((path) => /^\/pkg\/behaviours\.[^/]+\.wasm$/.test(path)), `fetched: ${code.join(', ')}`);
  // Reading and replying (with @mention suggestions) need none of the islands' module.
  assert.ok(!code.some((path) => /^\/pkg\/kring\./.test(path)), `fetched: ${code.join(', ')}`);
  await context.close();
});
