// Journeys through accounts, languages and permissions in a real browser.
import assert from 'node:assert/strict';
import { journeys, logIn } from './support.mjs';

const journey = journeys();

journey('register, log out and log in again', async (kring) => {
  const context = await kring.browser.newContext({ timezoneId: 'Asia/Yerevan' });
  const page = await context.newPage();
  await page.goto(`${kring.base}/register`);
  // The zone field's behaviour replaces the server's guess with the browser's zone once the WebAssembly runs.
  await page.waitForFunction(() => document.querySelector('input[name=time_zone]').value === 'Asia/Yerevan');
  await page.fill('input[name=display_name]', 'Nare Hakobyan');
  await page.fill('input[name=email]', 'nare@example.org');
  await page.fill('input[name=password]', 'listening first, always');
  await page.selectOption('select[name=country]', 'AM');
  await page.selectOption('select[name=organisation]', { label: 'Hayk Family Support Network' });
  await Promise.all([page.waitForNavigation(), page.click('form[action="/api/register"] button[type=submit]')]);
  assert.match(await page.textContent('main h1'), /Hello, Nare Hakobyan/);

  await page.goto(`${kring.base}/profile`);
  assert.equal(await page.inputValue('input[name=time_zone]'), 'Asia/Yerevan');

  await Promise.all([page.waitForNavigation(), page.click('form[action="/api/logout"] button')]);
  assert.equal(await page.locator('header a[href="/login"]').count(), 1, 'the header offers to log in');
  assert.equal(await page.locator('form[action="/api/logout"]').count(), 0, 'no one is logged in');

  await logIn(page, kring.base, 'nare@example.org', 'listening first, always');
  assert.match(await page.textContent('main h1'), /Hello, Nare Hakobyan/);
  await context.close();
});

journey('a wrong password gives a translated error', async (kring) => {
  const context = await kring.browser.newContext({ locale: 'es-PE' });
  const page = await context.newPage();
  await logIn(page, kring.base, 'lucia@demo.kring', 'not her password');
  const alert = page.locator('[role=alert]');
  assert.equal(
    (await alert.textContent()).trim(),
    'El correo electrónico o la contraseña no son correctos. Inténtelo de nuevo.',
  );
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  await context.close();
});

journey('the language switcher turns the page Dutch, and it stays Dutch', async (kring) => {
  const context = await kring.browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${kring.base}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.selectOption('select[name=language]', 'nl');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/api/language"] button')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  assert.equal((await page.textContent('main h1')).trim(), 'Welkom bij Kring');
  await page.reload();
  assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  assert.equal((await page.textContent('main h1')).trim(), 'Welkom bij Kring');
  await context.close();
});

journey('login works with JavaScript disabled', async (kring) => {
  const context = await kring.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await logIn(page, kring.base, 'anush@demo.kring');
  assert.match(await page.textContent('main h1'), /Hello, Anush Petrosyan/);
  assert.match(await page.textContent('main'), /Working with families and communities/);
  await context.close();
});

journey('a participant gets 403 from an admin-only server function', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await logIn(page, kring.base, 'amara@demo.kring');
  const response = await page.request.post(`${kring.base}/api/admin/overview`, {
    headers: { Origin: kring.base },
  });
  assert.equal(response.status(), 403);
  const body = await response.json();
  assert.equal(body.code, 'forbidden');
  assert.equal(body.message, 'You do not have permission to do this.');

  // The administrator may.
  const admin = await kring.browser.newContext();
  const adminPage = await admin.newPage();
  await logIn(adminPage, kring.base, 'admin@demo.kring');
  const allowed = await adminPage.request.post(`${kring.base}/api/admin/overview`, { headers: { Origin: kring.base } });
  assert.equal(allowed.status(), 200);
  assert.ok((await allowed.json()).people.length >= 10);
  await Promise.all([context.close(), admin.close()]);
});

journey('a POST from a foreign origin gets 403', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await logIn(page, kring.base, 'admin@demo.kring');
  const response = await page.request.post(`${kring.base}/api/admin/create-organisation`, {
    headers: { Origin: 'https://elsewhere.example' },
    form: { name: 'Planted by another site', country: 'NL' },
  });
  assert.equal(response.status(), 403);
  assert.equal((await response.json()).code, 'foreign_origin');
  await page.goto(`${kring.base}/admin`);
  assert.doesNotMatch(await page.textContent('main'), /Planted by another site/);
  await context.close();
});

journey('a forgotten password is reset from the mailed link, without JavaScript', async (kring) => {
  const context = await kring.browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${kring.base}/login`);
  await Promise.all([page.waitForNavigation(), page.click('a[href="/forgot-password"]')]);
  await page.fill('input[name=email]', 'priya@demo.kring');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/api/forgot-password"] button[type=submit]')]);
  assert.match(await page.textContent('main'), /If an account uses that address, a link is on its way/);

  // Without SMTP the server prints the mail to its log, where a person trying Kring finds it.
  const [link] = await kring.printed(/http:\/\/\S+\/reset-password\?token=[0-9a-f]{64}(?![0-9a-f])/);
  await page.goto(link.replace(/^http:\/\/[^/]+/, kring.base));
  await page.fill('input[name=new_password]', 'tea with the neighbours');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/api/reset-password"] button[type=submit]')]);
  assert.match(page.url(), /\/profile\?saved=password$/);
  assert.match(await page.textContent('main'), /Your password was changed/);

  // The link worked once (it says so, with a way to ask again); the new password logs in.
  await page.goto(link.replace(/^http:\/\/[^/]+/, kring.base));
  assert.match(await page.textContent('[role=alert]'), /was used already, replaced by a newer one/);
  assert.equal(await page.locator('input[name=new_password]').count(), 0);
  assert.equal(await page.locator('main a[href="/forgot-password"]').count(), 1);
  const fresh = await kring.browser.newContext();
  const other = await fresh.newPage();
  await logIn(other, kring.base, 'priya@demo.kring', 'tea with the neighbours');
  assert.match(await other.textContent('main h1'), /Hello, Priya/);
  await fresh.close();
  await context.close();
});
