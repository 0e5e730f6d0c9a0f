// Privacy in the browser: a copy of one's data downloads as a ZIP whose pages open;
// erasing one's account after the password signs one out and leaves one's posts to a
// "Former member"; a circle's members see that a facilitator read their circle.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journeys, logIn, DEMO_PASSWORD } from './support.mjs';

const journey = journeys();
const WELCOME_THREAD = 7;
const CIRCLE_CATEGORY = 6;

journey('Anush downloads a copy of her data as a ZIP whose pages open', async (kring) => {
  const context = await kring.browser.newContext({ acceptDownloads: true });
  const anush = await context.newPage();
  await logIn(anush, kring.base, 'anush@demo.kring');
  await anush.goto(`${kring.base}/profile`);
  await Promise.all([anush.waitForNavigation(), anush.click('a[href="/profile/data"]')]);
  await Promise.all([anush.waitForNavigation(), anush.click('main button:has-text("Make a copy of my data")')]);
  // Made in the background; the page follows it by itself.
  const link = anush.locator('a[href*="/profile/data/copies/"]');
  await link.waitFor({ timeout: 30000 });
  const [download] = await Promise.all([anush.waitForEvent('download'), link.click()]);
  const folder = mkdtempSync(join(tmpdir(), 'kring-copy-'));
  try {
    const zip = join(folder, 'kring-data.zip');
    await download.saveAs(zip);
    execFileSync('python3', ['-m', 'zipfile', '-e', zip, join(folder, 'copy')]);
    const reader = await context.newPage();
    await reader.goto(`file://${join(folder, 'copy', 'index.html')}`);
    assert.equal(await reader.textContent('h1'), 'Your data in Kring');
    assert.match(await reader.textContent('body'), /Anush Petrosyan/);
    await Promise.all([reader.waitForNavigation(), reader.click('a[href="profile.html"]')]);
    assert.equal(await reader.textContent('h1'), 'Profile');
    assert.match(await reader.textContent('table'), /anush@demo\.kring/);
    assert.match(await reader.textContent('table'), /Asia\/Yerevan/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  await context.close();
});

journey('Rami erases his account after the password prompt, and his posts read "Former member"', async (kring) => {
  const context = await kring.browser.newContext();
  const rami = await context.newPage();
  await logIn(rami, kring.base, 'rami@demo.kring');
  await rami.goto(`${kring.base}/forum/threads/${WELCOME_THREAD}`);
  await rami.fill('#reply textarea[name=body]', 'Greetings from Aleppo, and thank you all.');
  await Promise.all([rami.waitForNavigation(), rami.click('#reply button[type=submit]')]);
  await rami.locator('#posts article.post', { hasText: 'Greetings from Aleppo' }).waitFor();

  await rami.goto(`${kring.base}/profile/data`);
  await rami.fill('input[name=password]', 'not my password');
  await Promise.all([rami.waitForNavigation(), rami.click('button:has-text("Erase my account")')]);
  assert.match(await rami.textContent('.notice.error'), /./, 'a wrong password is refused with a message');
  assert.equal(await rami.locator('input[name=password]').count(), 1);
  await rami.fill('input[name=password]', DEMO_PASSWORD);
  await Promise.all([rami.waitForNavigation(), rami.click('button:has-text("Erase my account")')]);
  assert.match(rami.url(), /\/\?erased=1$/);
  assert.match(await rami.textContent('main'), /Your account has been erased/);
  assert.equal(await rami.locator('header a[href="/login"]').count(), 1, 'signed out');
  await rami.goto(`${kring.base}/profile`);
  assert.doesNotMatch(await rami.textContent('main'), /Rami Haddad/);

  const other = await kring.browser.newContext();
  const priya = await other.newPage();
  await logIn(priya, kring.base, 'priya@demo.kring');
  await priya.goto(`${kring.base}/forum/threads/${WELCOME_THREAD}`);
  const post = priya.locator('#posts article.post', { hasText: 'Greetings from Aleppo' });
  assert.equal(await post.locator('.author').textContent(), 'Former member');
  assert.doesNotMatch(await priya.textContent('main'), /Rami Haddad/);
  await context.close();
  await other.close();
});

journey('a circle member sees that a facilitator read the circle', async (kring) => {
  const staff = await kring.browser.newContext();
  const joseph = await staff.newPage();
  await logIn(joseph, kring.base, 'facilitator@demo.kring');
  await joseph.goto(`${kring.base}/forum/categories/${CIRCLE_CATEGORY}`);
  assert.equal(await joseph.locator('#circle-log').count(), 0, 'the log is the members\'');

  const member = await kring.browser.newContext();
  const wanjiru = await member.newPage();
  await logIn(wanjiru, kring.base, 'wanjiru@demo.kring');
  await wanjiru.goto(`${kring.base}/forum/categories/${CIRCLE_CATEGORY}`);
  const log = await wanjiru.textContent('#circle-log');
  assert.match(log, /Joseph Mensah \(Facilitator\) read this circle/);
  await staff.close();
  await member.close();
});
