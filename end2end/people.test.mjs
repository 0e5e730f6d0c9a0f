// People: a facilitator fills the Spanish group by invitation; newcomers join from a
// phone, confirm their address from the mail, and the facilitator sees who accepted.
import assert from 'node:assert/strict';
import { journeys, logIn } from './support.mjs';

const journey = journeys();

const PHONE = { viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true };

/** The newest link of `kind` (a path such as `/join`) printed in a mail to `address`. */
async function mailedLink(kring, kind, address) {
  // The log names each mail's recipient, then its body: the link within that mail,
  // whole (a token is 64 hex digits), never a part of the log read while it was written.
  const escaped = address.replace(/[.@]/g, (c) => `\\${c}`);
  const pattern = `e-mail to ${escaped} (?:(?!e-mail to )[\\s\\S])*?(http://\\S+${kind}\\?token=[0-9a-f]{64})(?![0-9a-f])`;
  const match = await kring.printed(pattern);
  return match[1].replace(/^http:\/\/[^/]+/, kring.base);
}

/** Registers through an invitation's page, as a newcomer on a phone would. */
async function registerThrough(page, name, email, password) {
  await page.fill('input[name=display_name]', name);
  if (email) await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.selectOption('select[name=country]', 'PE');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/api/register"] button[type=submit]')]);
}

journey('a facilitator fills the Spanish group by invitation and sees who accepted', async (kring) => {
  const facilitator = await kring.browser.newContext();
  const joseph = await facilitator.newPage();
  await logIn(joseph, kring.base, 'facilitator@demo.kring');
  // His cohort on the home page leads to its people.
  await Promise.all([joseph.waitForNavigation(), joseph.click('main a[href="/cohorts/1/people"]')]);

  // A link for the Spanish group, shown to its creator once.
  const linkForm = joseph.locator('form[action="/api/people/links/create"]');
  await linkForm.locator('select[name="link[group]"]').selectOption({ label: 'Spanish group' });
  await Promise.all([joseph.waitForNavigation(), linkForm.locator('button[type=submit]').click()]);
  const link = await joseph.inputValue('#new-link input');
  assert.match(link, /\/join\?token=[0-9a-f]{64}$/);

  // Two invitations by e-mail, mailed in Spanish.
  const mailForm = joseph.locator('form[action="/api/people/invite"]');
  await mailForm.locator('textarea[name="invite[people]"]').fill('Rosa Mamani <rosa@example.pe>\nLuis Huamán <luis@example.pe>');
  await mailForm.locator('select[name="invite[group]"]').selectOption({ label: 'Spanish group' });
  await Promise.all([joseph.waitForNavigation(), mailForm.locator('button[type=submit]').click()]);
  assert.match(await joseph.textContent('main'), /The invitations are on their way/);

  // A newcomer opens the shared link on a phone, registers (in Spanish, the group's
  // language, chosen for her), and confirms the address.
  const phone = await kring.browser.newContext(PHONE);
  const carmen = await phone.newPage();
  await carmen.goto(link.replace(/^http:\/\/[^/]+/, kring.base));
  assert.match(await carmen.textContent('main'), /invites you to Mutual Learning Program 2026-27 · Spanish group/);
  assert.equal(await carmen.inputValue('form[action="/api/register"] select[name=language]'), 'es', "the group's language is chosen");
  const wide = await carmen.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(wide, false, 'nothing runs off a phone screen');
  await registerThrough(carmen, 'Carmen Flores', 'carmen@example.pe', 'chicha morada en Cusco');
  assert.match(new URL(carmen.url()).pathname, /^\/$/);
  assert.match(await carmen.textContent('main'), /ya es miembro de la cohorte que aparece abajo[\s\S]*Mutual Learning Program 2026-27/);
  await carmen.goto(await mailedLink(kring, '/verify-email', 'carmen@example.pe'));
  assert.match(await carmen.textContent('main'), /carmen@example\.pe/, 'the page asks to confirm her address');
  await Promise.all([carmen.waitForNavigation(), carmen.click('form[action="/api/verify-email"] button[type=submit]')]);
  assert.match(carmen.url(), /\/profile\?saved=verified$/);
  assert.match(await carmen.textContent('#address-state'), /^Confirmada/, 'in the language she chose');

  // Rosa follows her own mail: her address is fixed, and proven by the mail itself.
  const rosaPhone = await kring.browser.newContext(PHONE);
  const rosa = await rosaPhone.newPage();
  await rosa.goto(await mailedLink(kring, '/join', 'rosa@example.pe'));
  assert.equal(await rosa.inputValue('input[name=email]'), 'rosa@example.pe');
  assert.equal(await rosa.getAttribute('input[name=email]', 'readonly'), '');
  await registerThrough(rosa, 'Rosa Mamani', null, 'quinua y papa');
  await rosa.goto(`${kring.base}/profile`);
  assert.match(await rosa.textContent('#address-state'), /^Confirmada/);

  // She forgets her password, and sets a new one from the mailed link.
  const later = await kring.browser.newContext(PHONE);
  const forgetful = await later.newPage();
  await forgetful.goto(`${kring.base}/forgot-password`);
  await forgetful.fill('input[name=email]', 'rosa@example.pe');
  await Promise.all([forgetful.waitForNavigation(), forgetful.click('form[action="/api/forgot-password"] button[type=submit]')]);
  await forgetful.goto(await mailedLink(kring, '/reset-password', 'rosa@example.pe'));
  await forgetful.fill('input[name=new_password]', 'un nuevo comienzo');
  await Promise.all([forgetful.waitForNavigation(), forgetful.click('form[action="/api/reset-password"] button[type=submit]')]);
  assert.match(forgetful.url(), /\/profile\?saved=password$/);

  // The facilitator sees both accepted, both in the Spanish group, and removes one.
  await joseph.goto(`${kring.base}/cohorts/1/people`);
  const invitations = await joseph.textContent('section[aria-labelledby=invitations-heading]');
  assert.match(invitations, /Rosa Mamani <rosa@example\.pe>[\s\S]*Accepted/);
  assert.match(invitations, /Link: 1 joined/);
  const members = joseph.locator('section[aria-labelledby=members-heading] li');
  const carmenRow = members.filter({ hasText: 'Carmen Flores' });
  assert.equal(await carmenRow.locator('select[name=group] option[selected]').textContent(), 'Spanish group');
  assert.equal(await members.filter({ hasText: 'Rosa Mamani' }).count(), 1);
  await Promise.all([
    joseph.waitForNavigation(),
    carmenRow.locator('form[action="/api/people/members/remove"] button').click(),
  ]);
  assert.equal(await joseph.locator('section[aria-labelledby=members-heading] li', { hasText: 'Carmen Flores' }).count(), 0);
  await Promise.all([facilitator.close(), phone.close(), rosaPhone.close(), later.close()]);
});
